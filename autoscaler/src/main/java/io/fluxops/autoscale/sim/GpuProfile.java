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
 *   <li>{@code rtx-4090}: 14.4 s per image, REFERENCE.md's "about 250 images/h" for an RTX 4090,
 *       the figure behind its $0.0028 per image and the pricing page's. Its table brackets it: 16.5
 *       s with fp8 weights, 8 s with fp8 and torch.compile (aredden/flux-fp8-api). The plan and the
 *       simulator share this one figure so that their costs agree with the reference.
 *   <li>{@code blackwell}: 2.4 s per image for B200 with TensorRT at 50 steps
 *       (basetenlabs/truss-examples), scaled to 28 steps as REFERENCE.md says fewer steps cost
 *       proportionally less: 2.4 × 28 / 50 = 1.344 s.
 * </ul>
 *
 * <p>Start-up time (pod creation to ready, with the weights already on the node) is an estimate,
 * not a measurement: 60 s. Loading FLUX.1-dev's 23 GB takes "close to an entire minute" on an EC2
 * machine (Outerport, "How fast can you load a FLUX model?"); diffusers reports about 75 s in bf16
 * on an A800 and 22 s for ComfyUI's fp8 files (huggingface/diffusers#11580), and 20 s for a
 * pre-quantized fp8 transformer against 67 s when quantizing on load (huggingface/diffusers#9053);
 * add scheduling and container start with a cached image. Quantizing at start-up, network storage
 * or a node that has to be added take longer; the benchmark's sensitivity table shows 30, 60 and
 * 120 s. The 600 s TensorRT engine build is an assumption as well (REFERENCE.md: "minutes"); the
 * benchmark runs with cached engines.
 */
public enum GpuProfile {
  /** NVIDIA GeForce RTX 4090: REFERENCE.md's 250 images an hour. */
  RTX_4090("rtx-4090", 3600.0 / 250, 60, 0),
  /** NVIDIA Blackwell (B200 figure), TensorRT engine. */
  BLACKWELL("blackwell", 2.4 * 28 / 50, 60, 600);

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
