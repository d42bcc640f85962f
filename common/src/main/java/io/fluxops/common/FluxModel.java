package io.fluxops.common;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The FLUX models FluxOps runs, named by their slug in BFL's licensing API (REFERENCE.md, "BFL
 * usage reporting"). Every model but {@code flux-1-schnell} (Apache-2.0) is licensed per generated
 * image: it gets a metering sidecar, and the sidecar accepts only these slugs.
 */
public enum FluxModel {
  FLUX_1_DEV("flux-1-dev", true, 28, "black-forest-labs/FLUX.1-dev", "flux1-dev.safetensors"),
  FLUX_1_KONTEXT_DEV(
      "flux-1-kontext-dev",
      true,
      28,
      "black-forest-labs/FLUX.1-Kontext-dev",
      "flux1-kontext-dev.safetensors"),
  /** Four repos (Fill, Canny, Depth, Redux): a cache of it must name the one it wants. */
  FLUX_TOOLS("flux-tools", true, 28, null, null),
  FLUX_1_KREA_DEV(
      "flux-1-krea-dev",
      true,
      28,
      "black-forest-labs/FLUX.1-Krea-dev",
      "flux1-krea-dev.safetensors"),
  FLUX_2_DEV("flux-2-dev", true, 28, "black-forest-labs/FLUX.2-dev", "flux2-dev.safetensors"),
  /** Timestep-distilled: BFL's CLI samples it in 4 steps (REFERENCE.md). */
  FLUX_1_SCHNELL(
      "flux-1-schnell", false, 4, "black-forest-labs/FLUX.1-schnell", "flux1-schnell.safetensors");

  /** The step count the throughput figures in {@link GpuType} were measured at. */
  public static final int REFERENCE_STEPS = 28;

  private final String slug;
  private final boolean metered;
  private final int steps;
  private final String huggingFaceRepo;
  private final String checkpoint;

  FluxModel(String slug, boolean metered, int steps, String huggingFaceRepo, String checkpoint) {
    this.slug = slug;
    this.metered = metered;
    this.steps = steps;
    this.huggingFaceRepo = huggingFaceRepo;
    this.checkpoint = checkpoint;
  }

  /**
   * BFL's Hugging Face repo of the model (REFERENCE.md, "Model weights"), gated behind its licence
   * for every [dev] model; empty for flux-tools, which spans several repos.
   */
  public Optional<String> huggingFaceRepo() {
    return Optional.ofNullable(huggingFaceRepo);
  }

  /**
   * The single-file checkpoint in that repo which BFL's reference code and ComfyUI load, beside
   * {@code ae.safetensors} (BFL's flux util.py, its configs' repo_flow and repo_ae).
   */
  public Optional<String> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }

  /** The licence slug, as written in {@code spec.model} and in BFL's usage URL. */
  public String slug() {
    return slug;
  }

  /** Whether every generated image must be reported to BFL's licensing API. */
  public boolean metered() {
    return metered;
  }

  /**
   * Sampling steps of a typical image: 28 for the [dev] family (diffusers' default), 4 for
   * [schnell]. Time per image scales with it ("fewer steps cost proportionally less").
   */
  public int steps() {
    return steps;
  }

  /** The model with this slug, if any. */
  public static Optional<FluxModel> fromSlug(String slug) {
    return Arrays.stream(values()).filter(m -> m.slug.equals(slug)).findFirst();
  }

  /** The metered model with this slug, if any: what the sidecar accepts. */
  public static Optional<FluxModel> meteredFromSlug(String slug) {
    return fromSlug(slug).filter(FluxModel::metered);
  }

  /** Every slug, comma-separated, for error messages. */
  public static String allSlugs() {
    return Arrays.stream(values()).map(FluxModel::slug).collect(Collectors.joining(", "));
  }

  /** The metered slugs, comma-separated, for error messages. */
  public static String meteredSlugs() {
    return Arrays.stream(values())
        .filter(FluxModel::metered)
        .map(FluxModel::slug)
        .collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return slug;
  }
}
