package io.fluxops.autoscale;

import java.util.Objects;

/**
 * The images the workload's pods have finished so far, summed over pods and never decreasing (the
 * metering sidecars' accepted counts, as the operator keeps them), or why there is no such count.
 * With it the scaler sizes on the arrival rate; without it, on queue depth alone.
 *
 * @param total images finished; {@code -1} when missing
 * @param missing why the count is missing; empty when it is present
 */
public record ImageCount(long total, String missing) {

  /** Validates the count. */
  public ImageCount {
    Objects.requireNonNull(missing, "missing");
    if (total < -1) {
      throw new IllegalArgumentException("an image count is >= 0: " + total);
    }
    if ((total < 0) == missing.isEmpty()) {
      throw new IllegalArgumentException("a count is either present or missing with a reason");
    }
  }

  /** A count. */
  public static ImageCount of(long total) {
    if (total < 0) {
      throw new IllegalArgumentException("an image count is >= 0: " + total);
    }
    return new ImageCount(total, "");
  }

  /** No count, for the reason given (for the Autoscaling condition's message). */
  public static ImageCount missing(String why) {
    return new ImageCount(-1, why == null || why.isBlank() ? "no image counts" : why);
  }

  /** Whether there is a count. */
  public boolean present() {
    return total >= 0;
  }
}
