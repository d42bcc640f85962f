package io.fluxops.autoscale;

import java.time.Duration;

/**
 * What the user asked for in {@code spec.autoscaling}: the replica range, the queue depth one
 * replica should carry, and the two stabilization windows.
 *
 * <p>{@code targetQueueDepth} counts queued plus running generations per replica, so {@code 2}
 * means "one image in progress and one waiting" on every pod.
 *
 * @param minReplicas lowest size; {@code 0} lets the scaler go to zero when the queue stays empty
 * @param maxReplicas highest size, the budget cap
 * @param targetQueueDepth queued plus running generations one replica should carry; positive
 * @param scaleUpStabilization window over which the lowest recommendation wins when growing
 * @param scaleDownStabilization window over which the highest recommendation wins when shrinking;
 *     also how long the queue must stay empty before the scaler goes to zero
 */
public record ScalingPolicy(
    int minReplicas,
    int maxReplicas,
    double targetQueueDepth,
    Duration scaleUpStabilization,
    Duration scaleDownStabilization) {

  /** Default lowest size: one warm pod, because a cold GPU pod takes minutes to load the model. */
  public static final int DEFAULT_MIN_REPLICAS = 1;

  /** Default budget cap. */
  public static final int DEFAULT_MAX_REPLICAS = 8;

  /** Default per-replica queue: one image running and one waiting keeps a GPU busy. */
  public static final double DEFAULT_TARGET_QUEUE_DEPTH = 2;

  /** Default scale-up window: none, so a backlog is answered at the next poll (HPA's default). */
  public static final Duration DEFAULT_SCALE_UP_STABILIZATION = Duration.ZERO;

  /**
   * Default scale-down window: five minutes, the Kubernetes HPA's default and the CRD's ({@code
   * scaleDownStabilizationSeconds: 300}), kept equal to it so the simulation runs what users get. A
   * shorter window releases GPUs sooner after a burst; the benchmark's sensitivity table shows what
   * 60, 120 and 180 s save and cost. It is also how long the queue must stay empty before the
   * scaler goes to zero.
   */
  public static final Duration DEFAULT_SCALE_DOWN_STABILIZATION = Duration.ofSeconds(300);

  /** Validates the policy; every message says which field to change. */
  public ScalingPolicy {
    if (minReplicas < 0) {
      throw new IllegalArgumentException("minReplicas must be 0 or more, got " + minReplicas);
    }
    if (maxReplicas < 1) {
      throw new IllegalArgumentException("maxReplicas must be 1 or more, got " + maxReplicas);
    }
    if (minReplicas > maxReplicas) {
      throw new IllegalArgumentException(
          "minReplicas (" + minReplicas + ") must not exceed maxReplicas (" + maxReplicas + ")");
    }
    if (!(targetQueueDepth > 0) || Double.isInfinite(targetQueueDepth)) {
      throw new IllegalArgumentException(
          "targetQueueDepth must be a positive number, got " + targetQueueDepth);
    }
    requireWindow("scaleUpStabilization", scaleUpStabilization);
    requireWindow("scaleDownStabilization", scaleDownStabilization);
  }

  /** The defaults above, with the given replica range. */
  public static ScalingPolicy withRange(int minReplicas, int maxReplicas) {
    return new ScalingPolicy(
        minReplicas,
        maxReplicas,
        DEFAULT_TARGET_QUEUE_DEPTH,
        DEFAULT_SCALE_UP_STABILIZATION,
        DEFAULT_SCALE_DOWN_STABILIZATION);
  }

  /** The same policy with another target queue depth. */
  public ScalingPolicy withTargetQueueDepth(double target) {
    return new ScalingPolicy(
        minReplicas, maxReplicas, target, scaleUpStabilization, scaleDownStabilization);
  }

  /** The same policy with other stabilization windows. */
  public ScalingPolicy withWindows(Duration up, Duration down) {
    return new ScalingPolicy(minReplicas, maxReplicas, targetQueueDepth, up, down);
  }

  /** The longer of the two windows: how far back the scaler must remember. */
  public Duration longestWindow() {
    return scaleUpStabilization.compareTo(scaleDownStabilization) >= 0
        ? scaleUpStabilization
        : scaleDownStabilization;
  }

  /** Clamps a replica count into {@code [minReplicas, maxReplicas]}. */
  public int clamp(long replicas) {
    return (int) Math.max(minReplicas, Math.min(maxReplicas, replicas));
  }

  private static void requireWindow(String name, Duration window) {
    if (window == null || window.isNegative()) {
      throw new IllegalArgumentException(name + " must be zero or more seconds, got " + window);
    }
  }
}
