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
 * @param scaleDownStabilization window over which the highest recommendation wins when shrinking on
 *     the arrival rule
 * @param idleBeforeZero with {@code minReplicas 0}: how long the queue must stay empty before the
 *     arrival rule lets the last replica go
 * @param queueRuleScaleDownStabilization the scale-down window of the queue rule (no image counts);
 *     also how long the queue must stay empty before it goes to zero. The same as {@code
 *     scaleDownStabilization} when the user set one; longer by default, see {@link
 *     #DEFAULT_QUEUE_RULE_SCALE_DOWN_STABILIZATION}
 * @param windowsFollowPodStart whether the scale-down windows are at least the pod start the scaler
 *     measures (the default, when the user set no window): see {@link
 *     #scaleDownStabilization(boolean, double)}
 */
public record ScalingPolicy(
    int minReplicas,
    int maxReplicas,
    double targetQueueDepth,
    Duration scaleUpStabilization,
    Duration scaleDownStabilization,
    Duration idleBeforeZero,
    Duration queueRuleScaleDownStabilization,
    boolean windowsFollowPodStart) {

  /** Default lowest size: one warm pod, because a cold GPU pod takes minutes to load the model. */
  public static final int DEFAULT_MIN_REPLICAS = 1;

  /** Default budget cap. */
  public static final int DEFAULT_MAX_REPLICAS = 8;

  /** Default per-replica queue: one image running and one waiting keeps a GPU busy. */
  public static final double DEFAULT_TARGET_QUEUE_DEPTH = 2;

  /** Default scale-up window: none, so a backlog is answered at the next poll (HPA's default). */
  public static final Duration DEFAULT_SCALE_UP_STABILIZATION = Duration.ZERO;

  /**
   * Default scale-down window: one minute, about one pod start (the CRD's {@code
   * scaleDownStabilizationSeconds: 60}). Holding a replica that the load no longer needs costs its
   * GPU for as long as it is held; giving it up too early costs a pod start later, during which the
   * GPU is paid for and serves nothing. Holding for as long as a start takes bounds the cost at
   * twice the best choice made with hindsight (the ski-rental argument), whatever comes next. The
   * arrival rule already decides on rates averaged over up to five minutes, so the window need not
   * smooth noise too. The benchmark's window table shows what 30 to 300 s cost.
   */
  public static final Duration DEFAULT_SCALE_DOWN_STABILIZATION = Duration.ofSeconds(60);

  /**
   * Default idle time before the last replica goes (with {@code minReplicas: 0}): five minutes.
   * Going to zero saves the GPU while nothing arrives; the next image then waits a whole pod start,
   * more than the wait SLO, and pays the start. Valuing such a late image at what the managed API
   * charges for one ($0.04, REFERENCE.md) against an RTX 4090 hour ($0.69), a cold start costs its
   * minute of GPU plus about 210 GPU-seconds: about 270 s, the break-even idle time.
   */
  public static final Duration DEFAULT_IDLE_BEFORE_ZERO = Duration.ofSeconds(300);

  /**
   * Default scale-down window of the queue rule, which sizes on queue depth alone (no image
   * counts): five minutes, the Kubernetes HPA's default and FluxOps' before the arrival rule. The
   * queue rule cannot tell a lull from the end of the load, so it needs the longer window to keep a
   * burst's replicas through the lull: at 60 s it left 1.2 % of the diurnal trace's images over the
   * SLO and 1.5 % of the bursty one's (BENCHMARKS.md).
   */
  public static final Duration DEFAULT_QUEUE_RULE_SCALE_DOWN_STABILIZATION =
      Duration.ofSeconds(300);

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
    requireWindow("idleBeforeZero", idleBeforeZero);
    requireWindow("queueRuleScaleDownStabilization", queueRuleScaleDownStabilization);
  }

  /** A policy whose one scale-down window serves both rules, as a user-set window does. */
  public ScalingPolicy(
      int minReplicas,
      int maxReplicas,
      double targetQueueDepth,
      Duration scaleUpStabilization,
      Duration scaleDownStabilization,
      Duration idleBeforeZero) {
    this(
        minReplicas,
        maxReplicas,
        targetQueueDepth,
        scaleUpStabilization,
        scaleDownStabilization,
        idleBeforeZero,
        scaleDownStabilization,
        false);
  }

  /** A policy with the default {@link #DEFAULT_IDLE_BEFORE_ZERO}. */
  public ScalingPolicy(
      int minReplicas,
      int maxReplicas,
      double targetQueueDepth,
      Duration scaleUpStabilization,
      Duration scaleDownStabilization) {
    this(
        minReplicas,
        maxReplicas,
        targetQueueDepth,
        scaleUpStabilization,
        scaleDownStabilization,
        DEFAULT_IDLE_BEFORE_ZERO);
  }

  /** The defaults above, with the given replica range. */
  public static ScalingPolicy withRange(int minReplicas, int maxReplicas) {
    return new ScalingPolicy(
        minReplicas,
        maxReplicas,
        DEFAULT_TARGET_QUEUE_DEPTH,
        DEFAULT_SCALE_UP_STABILIZATION,
        DEFAULT_SCALE_DOWN_STABILIZATION,
        DEFAULT_IDLE_BEFORE_ZERO,
        DEFAULT_QUEUE_RULE_SCALE_DOWN_STABILIZATION,
        true);
  }

  /** The same policy with another target queue depth. */
  public ScalingPolicy withTargetQueueDepth(double target) {
    return new ScalingPolicy(
        minReplicas,
        maxReplicas,
        target,
        scaleUpStabilization,
        scaleDownStabilization,
        idleBeforeZero,
        queueRuleScaleDownStabilization,
        windowsFollowPodStart);
  }

  /** The same policy with other stabilization windows; {@code down} serves both rules. */
  public ScalingPolicy withWindows(Duration up, Duration down) {
    return new ScalingPolicy(
        minReplicas, maxReplicas, targetQueueDepth, up, down, idleBeforeZero, down, false);
  }

  /** The same policy with another lowest size. */
  public ScalingPolicy withMinReplicas(int min) {
    return new ScalingPolicy(
        min,
        maxReplicas,
        targetQueueDepth,
        scaleUpStabilization,
        scaleDownStabilization,
        idleBeforeZero,
        queueRuleScaleDownStabilization,
        windowsFollowPodStart);
  }

  /** The same policy with another idle time before zero. */
  public ScalingPolicy withIdleBeforeZero(Duration idle) {
    return new ScalingPolicy(
        minReplicas,
        maxReplicas,
        targetQueueDepth,
        scaleUpStabilization,
        scaleDownStabilization,
        idle,
        queueRuleScaleDownStabilization,
        windowsFollowPodStart);
  }

  /** The longest of the windows: how far back the scaler must remember recommendations. */
  public Duration longestWindow() {
    Duration longest = scaleUpStabilization;
    for (Duration window :
        new Duration[] {scaleDownStabilization, queueRuleScaleDownStabilization}) {
      if (window.compareTo(longest) > 0) {
        longest = window;
      }
    }
    return longest;
  }

  /** The scale-down window of the rule that sizes: the arrival rule's, or the queue rule's. */
  public Duration scaleDownStabilization(boolean arrivalRule) {
    return arrivalRule ? scaleDownStabilization : queueRuleScaleDownStabilization;
  }

  /**
   * The scale-down window of the rule that sizes, for pods that take {@code podStartSeconds} to
   * start. With the default windows ({@link #windowsFollowPodStart}) it is never shorter than the
   * pod start: letting a replica go costs a start later, and holding it for as long as a start
   * takes bounds the cost at twice the best choice made with hindsight (the ski-rental argument),
   * so pods that start in two minutes are held for two. A window the user set is kept as set.
   */
  public Duration scaleDownStabilization(boolean arrivalRule, double podStartSeconds) {
    Duration set = scaleDownStabilization(arrivalRule);
    if (!windowsFollowPodStart || !(podStartSeconds > set.getSeconds())) {
      return set;
    }
    return Duration.ofSeconds((long) Math.ceil(podStartSeconds));
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
