package io.fluxops.autoscale;

/**
 * What is known about the pods before anything is measured: the published time per image of the GPU
 * type and model, and an estimated pod start. The scaler blends its measurements with them and soon
 * relies on the measurements alone.
 *
 * @param secondsPerImage seconds one replica takes per image; {@code 0} when not known, so that the
 *     arrival rule waits for measured images
 * @param podStartSeconds seconds from ordering a pod to its being ready; positive
 * @param imageValueGpuSeconds what an image that starts within the wait budget is worth, in
 *     GPU-seconds: the managed API's price per image over the GPU's price per second. The backlog
 *     rule orders a replica only for images worth more than the replica costs.
 */
public record Priors(double secondsPerImage, double podStartSeconds, double imageValueGpuSeconds) {

  /**
   * The image value assumed by default: $0.04 per image on BFL's managed API (FLUX Pro 1.1) over an
   * RTX 4090 at $0.69 an hour (REFERENCE.md): about 209 GPU-seconds.
   */
  public static final double DEFAULT_IMAGE_VALUE_GPU_SECONDS = 0.04 / 0.69 * 3600;

  /**
   * The pod start assumed before one is measured: 60 s, an estimate from published FLUX.1-dev load
   * times (20–75 s for the weights from local disk) plus scheduling and container start.
   */
  public static final double DEFAULT_POD_START_SECONDS = 60;

  /** No published time per image; the default pod start. */
  public static final Priors NONE =
      new Priors(0, DEFAULT_POD_START_SECONDS, DEFAULT_IMAGE_VALUE_GPU_SECONDS);

  /** Validates the priors. */
  public Priors {
    if (!(secondsPerImage >= 0) || Double.isInfinite(secondsPerImage)) {
      throw new IllegalArgumentException(
          "secondsPerImage must be 0 (unknown) or a positive number, got " + secondsPerImage);
    }
    if (!(podStartSeconds > 0) || Double.isInfinite(podStartSeconds)) {
      throw new IllegalArgumentException(
          "podStartSeconds must be a positive number, got " + podStartSeconds);
    }
    if (!(imageValueGpuSeconds > 0) || Double.isInfinite(imageValueGpuSeconds)) {
      throw new IllegalArgumentException(
          "imageValueGpuSeconds must be a positive number, got " + imageValueGpuSeconds);
    }
  }

  /** A published time per image and an estimated pod start, with the default image value. */
  public Priors(double secondsPerImage, double podStartSeconds) {
    this(secondsPerImage, podStartSeconds, DEFAULT_IMAGE_VALUE_GPU_SECONDS);
  }

  /** A published time per image, with the default pod start. */
  public static Priors secondsPerImage(double seconds) {
    return new Priors(seconds, DEFAULT_POD_START_SECONDS, DEFAULT_IMAGE_VALUE_GPU_SECONDS);
  }
}
