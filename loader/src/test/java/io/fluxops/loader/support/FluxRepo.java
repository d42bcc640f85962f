package io.fluxops.loader.support;

import io.fluxops.loader.standin.Content;
import io.fluxops.loader.standin.StandInFile;
import io.fluxops.loader.standin.StandInHub;
import java.util.List;

/**
 * A small repo shaped like black-forest-labs/FLUX.1-dev: BFL's single-file checkpoint and
 * autoencoder, and diffusers' folders, with a few megabytes standing for 24 GB.
 */
public final class FluxRepo {
  public static final String REPO = "black-forest-labs/FLUX.1-dev";
  public static final String CHECKPOINT = "flux1-dev.safetensors";
  public static final String AE = "ae.safetensors";
  public static final String SHARD_1 =
      "transformer/diffusion_pytorch_model-00001-of-00002.safetensors";
  public static final String SHARD_2 =
      "transformer/diffusion_pytorch_model-00002-of-00002.safetensors";

  private FluxRepo() {}

  public static List<StandInFile> files() {
    return List.of(
        StandInFile.git("model_index.json", "{\"_class_name\": \"FluxPipeline\"}\n"),
        StandInFile.git("README.md", "# FLUX.1 [dev]\n"),
        StandInFile.lfs(CHECKPOINT, Content.generated(1, 3_000_000)),
        StandInFile.lfs(AE, Content.generated(2, 700_000)),
        StandInFile.git("transformer/config.json", "{\"num_layers\": 19}\n"),
        StandInFile.lfs(SHARD_1, Content.generated(3, 1_500_000)),
        StandInFile.lfs(SHARD_2, Content.generated(4, 1_200_000)));
  }

  /** Commits the files to main; returns the commit. */
  public static String publish(StandInHub hub) {
    return hub.commit(REPO, "main", files());
  }

  public static long totalBytes() {
    return files().stream().mapToLong(f -> f.content().size()).sum();
  }

  public static Content content(String path) {
    return files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow().content();
  }
}
