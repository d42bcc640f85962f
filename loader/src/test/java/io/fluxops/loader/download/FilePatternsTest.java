package io.fluxops.loader.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** fnmatch as huggingface_hub's allow_patterns applies it. */
class FilePatternsTest {
  private static boolean selects(String pattern, String path) {
    return new FilePatterns(List.of(pattern)).selects(path);
  }

  @Test
  void starCrossesSlashesAsFnmatchDoes() {
    assertThat(selects("*.json", "transformer/config.json")).isTrue();
    assertThat(selects("*.json", "model_index.json")).isTrue();
    assertThat(selects("transformer/*", "transformer/a/b.safetensors")).isTrue();
  }

  @Test
  void aPatternWithoutALeadingStarIsAnchoredAtTheRoot() {
    assertThat(selects("ae.safetensors", "ae.safetensors")).isTrue();
    assertThat(selects("ae.safetensors", "vae/ae.safetensors")).isFalse();
    assertThat(selects("flux1-*.safetensors", "flux1-dev.safetensors")).isTrue();
    assertThat(selects("flux1-*.safetensors", "transformer/flux1-x.safetensors")).isFalse();
  }

  @Test
  void aTrailingSlashSelectsAFolder() {
    assertThat(selects("vae/", "vae/diffusion_pytorch_model.safetensors")).isTrue();
    assertThat(selects("vae/", "vae.json")).isFalse();
  }

  @Test
  void questionMarksAndSetsMatchOneCharacter() {
    assertThat(selects("model-0000?.bin", "model-00001.bin")).isTrue();
    assertThat(selects("model-0000[12].bin", "model-00002.bin")).isTrue();
    assertThat(selects("model-0000[!12].bin", "model-00002.bin")).isFalse();
    assertThat(selects("model-0000[!12].bin", "model-00003.bin")).isTrue();
    assertThat(selects("shard-[a-c].bin", "shard-b.bin")).isTrue();
  }

  @Test
  void regexCharactersAreLiterals() {
    assertThat(selects("a+b(1).json", "a+b(1).json")).isTrue();
    assertThat(selects("a.json", "abjson")).isFalse();
    assertThat(selects("[oops", "[oops")).isTrue();
  }

  @Test
  void noPatternsSelectEverything() {
    assertThat(new FilePatterns(List.of()).selects("anything/at/all")).isTrue();
  }
}
