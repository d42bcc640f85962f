package io.fluxops.common;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The GPU types FluxOps runs inference on ({@code spec.gpu.type}), with the facts the operator, the
 * planner and the simulator share: architecture, FP4 support and throughput. Which node labels
 * select a type is the operator's business ({@code io.fluxops.operator.gpu}).
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
 * add scheduling and container start with a cached image. The 600 s TensorRT engine build is an
 * assumption as well (REFERENCE.md: "minutes").
 */
public enum GpuType {
  /** NVIDIA GeForce RTX 4090 (Ada Lovelace, compute 8.9): REFERENCE.md's 250 images an hour. */
  RTX_4090("rtx-4090", "ada-lovelace", false, 3600.0 / 250, 60, 0),
  /** NVIDIA Blackwell (compute 10 or 12; B200 figure), TensorRT engine. */
  BLACKWELL("blackwell", "blackwell", true, 2.4 * 28 / 50, 60, 600);

  private final String value;
  private final String architecture;
  private final boolean fp4;
  private final double secondsPerImage;
  private final double modelLoadSeconds;
  private final double engineBuildSeconds;

  GpuType(
      String value,
      String architecture,
      boolean fp4,
      double secondsPerImage,
      double modelLoadSeconds,
      double engineBuildSeconds) {
    this.value = value;
    this.architecture = architecture;
    this.fp4 = fp4;
    this.secondsPerImage = secondsPerImage;
    this.modelLoadSeconds = modelLoadSeconds;
    this.engineBuildSeconds = engineBuildSeconds;
  }

  /** The value written in {@code spec.gpu.type}. */
  public String value() {
    return value;
  }

  /** The GPU architecture, as GPU feature discovery's {@code nvidia.com/gpu.family} names it. */
  public String architecture() {
    return architecture;
  }

  /** Whether TensorRT's NVFP4 ({@code fp4}) engines run on this GPU (Blackwell only). */
  public boolean supportsFp4() {
    return fp4;
  }

  /** Seconds one replica spends on one FLUX.1-dev image at 28 steps. */
  public double secondsPerImage() {
    return secondsPerImage;
  }

  /** Seconds one replica spends on one image of {@code model}, scaled by its step count. */
  public double secondsPerImage(FluxModel model) {
    return secondsPerImage * model.steps() / FluxModel.REFERENCE_STEPS;
  }

  /** Seconds from pod creation to ready when the model (and any engine) is cached. */
  public double modelLoadSeconds() {
    return modelLoadSeconds;
  }

  /** Extra seconds on a start that has to build a TensorRT engine; 0 when none is used. */
  public double engineBuildSeconds() {
    return engineBuildSeconds;
  }

  /** FLUX.1-dev images one replica makes in an hour when never idle. */
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
    return suggestedTargetQueueDepth(sloSeconds, secondsPerImage);
  }

  /** The same for images that take {@code secondsPerImage} each. */
  public static double suggestedTargetQueueDepth(double sloSeconds, double secondsPerImage) {
    return Math.max(2, Math.floor(sloSeconds / 2 / secondsPerImage));
  }

  /** The type written as {@code value}, if there is one. */
  public static Optional<GpuType> fromValue(String value) {
    return Arrays.stream(values()).filter(t -> t.value.equals(value)).findFirst();
  }

  /**
   * The type a command-line user named, in any case.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static GpuType parse(String value) {
    return fromValue(value.toLowerCase(java.util.Locale.ROOT))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown GPU type '" + value + "': use " + String.join(" or ", names())));
  }

  private static java.util.List<String> names() {
    return Arrays.stream(values()).map(GpuType::value).toList();
  }

  /** The values a user may write, for error messages: {@code "rtx-4090, blackwell"}. */
  public static String allowed() {
    return Arrays.stream(values()).map(GpuType::value).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return value;
  }
}
