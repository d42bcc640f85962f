package io.fluxops.autoscale.sim;

import java.util.Locale;

/**
 * How fast one replica of a GPU type makes images and how long it takes to start, for the simulator
 * and the {@code plan} command. Named apart from the operator's own GPU enum, which carries labels
 * and scheduling facts; this one carries only timings.
 *
 * <p>Service times are FLUX.1-dev at 1024², 28 steps, from REFERENCE.md ("Throughput and cost"):
 *
 * <ul>
 *   <li>{@code rtx-4090}: 16.5 s per image with fp8 weights (aredden/flux-fp8-api). The 8 s
 *       torch.compile figure is left out on purpose: it is the best case, and a plan should not
 *       assume it.
 *   <li>{@code blackwell}: 2.4 s per image for B200 with TensorRT at 50 steps
 *       (basetenlabs/truss-examples), scaled to 28 steps as REFERENCE.md says fewer steps cost
 *       proportionally less: 2.4 × 28 / 50 = 1.344 s.
 * </ul>
 *
 * <p>Start-up times are assumptions, not measurements (REFERENCE.md only says GPU pods take minutes
 * and an engine build takes minutes): 120 s to schedule, pull and load the model, and a further 600
 * s when a TensorRT engine has to be built on the pod.
 */
public enum GpuProfile {
  /** NVIDIA GeForce RTX 4090, fp8 weights. */
  RTX_4090("rtx-4090", 16.5, 120, 0),
  /** NVIDIA Blackwell (B200 figure), TensorRT engine. */
  BLACKWELL("blackwell", 2.4 * 28 / 50, 120, 600);

  private final String slug;
  private final double secondsPerImage;
  private final double modelLoadSeconds;
  private final double engineBuildSeconds;

  GpuProfile(
      String slug, double secondsPerImage, double modelLoadSeconds, double engineBuildSeconds) {
    this.slug = slug;
    this.secondsPerImage = secondsPerImage;
    this.modelLoadSeconds = modelLoadSeconds;
    this.engineBuildSeconds = engineBuildSeconds;
  }

  /** The name used in {@code spec.gpu.type}. */
  public String slug() {
    return slug;
  }

  /** Seconds one replica spends on one image. */
  public double secondsPerImage() {
    return secondsPerImage;
  }

  /** Seconds from pod creation to ready when the model (and any engine) is cached. */
  public double modelLoadSeconds() {
    return modelLoadSeconds;
  }

  /** Extra seconds on a start that has to build a TensorRT engine; 0 when none is used. */
  public double engineBuildSeconds() {
    return engineBuildSeconds;
  }

  /** Images one replica makes in an hour when never idle. */
  public double imagesPerHour() {
    return 3600 / secondsPerImage;
  }

  /**
   * A {@code targetQueueDepth} for this GPU: the images one replica finishes in half the wait SLO,
   * and at least 2 (one running, one waiting). A fast GPU can carry a longer queue within the same
   * wait, and a target far below that keeps idle replicas: 2 for an RTX 4090 at a 60 s SLO, 22 for
   * Blackwell.
   */
  public double suggestedTargetQueueDepth(double sloSeconds) {
    return Math.max(2, Math.floor(sloSeconds / 2 / secondsPerImage));
  }

  /** The profile for a {@code spec.gpu.type} value. */
  public static GpuProfile fromSlug(String slug) {
    for (GpuProfile profile : values()) {
      if (profile.slug.equals(slug.toLowerCase(Locale.ROOT))) {
        return profile;
      }
    }
    throw new IllegalArgumentException(
        "unknown GPU type '" + slug + "': use rtx-4090 or blackwell");
  }
}
