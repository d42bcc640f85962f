package io.fluxops.autoscale;

import java.util.Objects;

/**
 * One observation of the queue: its depth (queued plus running generations), and how far it can be
 * trusted.
 *
 * <p>A {@link Quality#PARTIAL} reading is a lower bound: some of the places the queue lives did not
 * answer (a pod timed out), so the true queue is at least this deep. The scaler may grow on it but
 * never shrinks on it. A {@link Quality#FAILED} reading carries no depth at all.
 *
 * @param queueDepth queued plus running generations; {@code 0} when failed
 * @param quality how complete the reading is
 * @param problem why the reading is partial or failed; empty when complete
 */
public record Reading(double queueDepth, Quality quality, String problem) {

  /** How far a reading can be trusted. */
  public enum Quality {
    /** Every source answered. */
    COMPLETE,
    /** Some sources did not answer: the depth is a lower bound. */
    PARTIAL,
    /** No usable depth. */
    FAILED
  }

  /** Validates the reading. */
  public Reading {
    Objects.requireNonNull(quality, "quality");
    problem = problem == null ? "" : problem;
    if (quality == Quality.FAILED) {
      queueDepth = 0;
    } else if (!(queueDepth >= 0) || Double.isInfinite(queueDepth)) {
      throw new IllegalArgumentException("queue depth must be a finite number >= 0: " + queueDepth);
    }
  }

  /** A reading every source answered. */
  public static Reading of(double queueDepth) {
    return new Reading(queueDepth, Quality.COMPLETE, "");
  }

  /** A lower bound: some sources did not answer, for the reason given. */
  public static Reading partial(double queueDepth, String problem) {
    return new Reading(queueDepth, Quality.PARTIAL, problem);
  }

  /** No depth could be read, for the reason given. */
  public static Reading failed(String problem) {
    return new Reading(0, Quality.FAILED, problem);
  }

  /** True when there is no depth at all. */
  public boolean failed() {
    return quality == Quality.FAILED;
  }
}
