package io.fluxops.loader.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("FLUXOPS_HF_REPO", "black-forest-labs/FLUX.1-dev");
    env.put("FLUXOPS_CACHE_DIR", dir.resolve("cache").toString());
    return env;
  }

  private static void assertRefused(Map<String, String> env, String... fragments) {
    assertThatThrownBy(() -> ConfigLoader.load(env))
        .isInstanceOf(ConfigException.class)
        .message()
        .contains(fragments);
  }

  @Test
  void defaultsAreTheHubMainAndEveryFile() throws Exception {
    LoaderConfig config = ConfigLoader.load(env());

    assertThat(config.endpoint()).hasToString("https://huggingface.co");
    assertThat(config.revision()).isEqualTo("main");
    assertThat(config.include()).isEmpty();
    assertThat(config.token()).isEmpty();
    assertThat(config.connections()).isEqualTo(4);
    assertThat(config.segmentBytes()).isEqualTo(1L << 28);
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.listenPort()).isEqualTo(9471);
    assertThat(config.terminationLog()).contains(Path.of("/dev/termination-log"));
  }

  @Test
  void includeIsACommaSeparatedList() throws Exception {
    Map<String, String> env = env();
    env.put("FLUXOPS_HF_INCLUDE", " *.json ,, flux1-dev.safetensors ");

    assertThat(ConfigLoader.load(env).include()).containsExactly("*.json", "flux1-dev.safetensors");
  }

  @Test
  void theRepoIsRequiredAndMustBeARepoId() {
    Map<String, String> env = env();
    env.remove("FLUXOPS_HF_REPO");
    assertRefused(env, "FLUXOPS_HF_REPO is required");
    for (String bad : List.of("a/b/c", "owner--x/name", "a/../b", "with space/x")) {
      env.put("FLUXOPS_HF_REPO", bad);
      assertRefused(env, "FLUXOPS_HF_REPO must be a Hugging Face repo id", bad);
    }
  }

  @Test
  void plainHttpIsForLoopbackOnlySoTheTokenNeverTravelsInClear() throws Exception {
    Map<String, String> env = env();
    env.put("FLUXOPS_HF_ENDPOINT", "http://hf-mirror.internal");
    assertRefused(env, "FLUXOPS_HF_ENDPOINT must be https://", "in clear");
    env.put("FLUXOPS_HF_ENDPOINT", "http://127.0.0.1:8080/");
    assertThat(ConfigLoader.load(env).endpoint()).hasToString("http://127.0.0.1:8080");
    env.put("FLUXOPS_HF_ENDPOINT", "ftp://huggingface.co");
    assertRefused(env, "must be an https:// URL");
  }

  @Test
  void aRevisionCannotClimbOutOfRefs() {
    Map<String, String> env = env();
    for (String bad : List.of("../main", "refs//x", "/main", "a b")) {
      env.put("FLUXOPS_HF_REVISION", bad);
      assertRefused(env, "FLUXOPS_HF_REVISION must be a branch, tag or commit");
    }
  }

  @Test
  void aMissingTokenFileNamesItsSecret() {
    Map<String, String> env = env();
    env.put("FLUXOPS_HF_TOKEN_FILE", dir.resolve("absent").toString());
    env.put("FLUXOPS_HF_TOKEN_SECRET", "hf-token");
    assertRefused(env, "FLUXOPS_HF_TOKEN_FILE names no file", "(Secret hf-token) is not mounted");
  }

  @Test
  void aMalformedTokenIsRefusedWithoutShowingIt() throws IOException {
    Map<String, String> env = env();
    Path file = dir.resolve("token");
    env.put("FLUXOPS_HF_TOKEN_FILE", file.toString());
    Files.writeString(file, "hf_secret part two");
    assertThatThrownBy(() -> ConfigLoader.load(env))
        .hasMessageContaining("holds spaces or non-ASCII characters")
        .hasMessageNotContaining("hf_secret");
    Files.writeString(file, "\n");
    assertRefused(env, "holds an empty token");
  }

  @Test
  void theTokenIsReadTrimmedAndNeverPrinted() throws Exception {
    Map<String, String> env = env();
    Path file = dir.resolve("token");
    Files.writeString(file, "hf_abc123\n");
    env.put("FLUXOPS_HF_TOKEN_FILE", file.toString());
    env.put("FLUXOPS_HF_TOKEN_SECRET", "hf-token");

    LoaderConfig config = ConfigLoader.load(env);

    assertThat(config.token())
        .hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("hf_abc123"));
    assertThat(config.toString()).doesNotContain("hf_abc123").contains("Secret hf-token");
  }

  @Test
  void theCacheDirectoryMustBeWritable() throws IOException {
    Map<String, String> env = env();
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    env.put("FLUXOPS_CACHE_DIR", file.resolve("models").toString());
    assertRefused(env, "FLUXOPS_CACHE_DIR", "is not a writable directory", "mount the claim");
  }

  @Test
  void numbersHaveRanges() {
    Map<String, String> env = env();
    env.put("FLUXOPS_CONNECTIONS", "0");
    assertRefused(env, "FLUXOPS_CONNECTIONS must be a whole number from 1 to 32, got '0'");
    env.put("FLUXOPS_CONNECTIONS", "2");
    env.put("FLUXOPS_REQUEST_TIMEOUT_SECONDS", "soon");
    assertRefused(env, "FLUXOPS_REQUEST_TIMEOUT_SECONDS must be a number of seconds");
  }
}
