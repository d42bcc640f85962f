package io.fluxops.autoscale;

import io.fluxops.autoscale.Decision.Direction;
import io.fluxops.autoscale.ScalerState.Sample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns queue-depth readings into a desired replica count. Pure: no I/O, time from the injected
 * {@link Clock}, memory passed in and out as a {@link ScalerState}.
 *
 * <p>Each poll makes a recommendation from {@code ceil(queue / targetQueueDepth)}, clamped to the
 * policy's range, then stabilizes it the way the Kubernetes HPA does ({@code
 * stabilizeRecommendationWithBehaviors} in the HPA controller): growing goes no higher than the
 * lowest recommendation in the scale-up window, shrinking goes no lower than the highest one in the
 * scale-down window. See {@link #decide} for the rules around that formula.
 */
public final class QueueDepthScaler {

  /**
   * How far back readings are averaged before a shrink is considered: one minute, Knative's stable
   * window. A single reading of a Poisson queue is noisy, and the scale-down window keeps the
   * highest recommendation, so shrinking on raw readings would keep every momentary peak.
   */
  public static final Duration QUEUE_AVERAGING_WINDOW = Duration.ofSeconds(60);

  private final ScalingPolicy policy;
  private final Clock clock;

  /** A scaler for one workload's policy, reading time from {@code clock}. */
  public QueueDepthScaler(ScalingPolicy policy, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The policy this scaler applies. */
  public ScalingPolicy policy() {
    return policy;
  }

  /**
   * Decides the size for this poll.
   *
   * <ul>
   *   <li>Growing answers the latest reading at once, with as many replicas as {@code ceil(queue /
   *       target)} asks for: a backlog is never met one replica at a time.
   *   <li>Shrinking looks at the queue averaged over {@link #QUEUE_AVERAGING_WINDOW}, and never
   *       goes below one replica per image in hand (queued or running) up to the current size:
   *       removing a GPU that has work saves nothing and puts the next burst behind a cold start.
   *   <li>Starting pods count as capacity that is coming: the recommendation is compared with the
   *       size already asked for, ready or not, so a queue that starting pods will serve does not
   *       order more of them.
   *   <li>At zero replicas the first queued job scales to at least one at once, whatever the
   *       scale-up window; the scaler goes to zero only when every recommendation in the scale-down
   *       window was zero, i.e. the queue stayed empty for the whole window.
   *   <li>A failed reading holds the current size and records nothing, so missing data never
   *       shrinks the workload, let alone to zero. A partial reading is a lower bound: it can grow
   *       the workload but not shrink it.
   *   <li>Without memory (first poll, lost state) the current size counts as the last
   *       recommendation, so a restart never shrinks before a full scale-down window has passed.
   * </ul>
   *
   * @param state the memory returned by the previous decision, or {@link ScalerState#initial()}
   * @param reading this poll's queue reading
   * @param replicas the workload's size now
   */
  public Decision decide(ScalerState state, Reading reading, Replicas replicas) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reading, "reading");
    Objects.requireNonNull(replicas, "replicas");
    Instant now = clock.instant();
    int current = replicas.current();
    if (reading.failed()) {
      return hold(state, reading, current);
    }
    if (state.samples().isEmpty() && current > 0) {
      state = state.record(now, policy.clamp(current), policy.longestWindow());
    }
    state = state.withQueue(now, reading.queueDepth(), QUEUE_AVERAGING_WINDOW);
    int recommendation = recommend(state, reading, current);
    int desired = stabilize(state, recommendation, current, now.getEpochSecond());
    if (current == 0 && reading.queueDepth() > 0) {
      desired = Math.max(desired, Math.max(1, recommendation));
    }
    ScalerState next = state.record(now, recommendation, policy.longestWindow());
    if (desired != current) {
      next = next.scaledAt(now);
    }
    return new Decision(
        desired,
        direction(current, desired),
        explain(reading, recommendation, current, desired),
        reading.quality() != Reading.Quality.COMPLETE,
        reading.queueDepth(),
        recommendation,
        next);
  }

  /** The unstabilized recommendation: grow on the latest reading, shrink on the average. */
  private int recommend(ScalerState state, Reading reading, int current) {
    long forLatest = replicasFor(reading.queueDepth());
    long recommendation;
    if (forLatest > current) {
      recommendation = forLatest;
    } else {
      // The recent average smooths momentary peaks away; an empty queue counts as empty at once,
      // so going to zero waits for the scale-down window and nothing more.
      // It only holds replicas back from shrinking: a grow comes from the latest reading alone,
      // or a queue of 1 just after a scale-down would bring back the burst's size from its average.
      double basis = reading.queueDepth() == 0 ? 0 : state.averageQueueDepth();
      long inHand = (long) Math.ceil(basis - 1e-9);
      recommendation = Math.min(current, Math.max(replicasFor(basis), inHand));
    }
    int clamped = policy.clamp(recommendation);
    if (reading.quality() == Reading.Quality.PARTIAL) {
      // The true queue is at least this deep: never shrink on it.
      clamped = Math.max(clamped, policy.clamp(current));
    }
    return clamped;
  }

  /** {@code ceil(queue / target)}, tolerant of floating-point noise at exact multiples. */
  long replicasFor(double queueDepth) {
    return (long) Math.ceil(queueDepth / policy.targetQueueDepth() - 1e-9);
  }

  /** HPA stabilization: grow to the window's minimum, shrink to the window's maximum. */
  private int stabilize(ScalerState state, int recommendation, int current, long nowSecond) {
    long upCutoff = nowSecond - policy.scaleUpStabilization().getSeconds();
    long downCutoff = nowSecond - policy.scaleDownStabilization().getSeconds();
    int up = recommendation;
    int down = recommendation;
    for (Sample sample : state.samples()) {
      if (sample.epochSecond() > upCutoff) {
        up = Math.min(up, sample.replicas());
      }
      if (sample.epochSecond() > downCutoff) {
        down = Math.max(down, sample.replicas());
      }
    }
    int desired = current;
    if (desired < up) {
      desired = up;
    }
    if (desired > down) {
      desired = down;
    }
    return policy.clamp(desired);
  }

  private Decision hold(ScalerState state, Reading reading, int current) {
    int held = policy.clamp(current);
    String reason =
        String.format(
            Locale.ROOT,
            "queue could not be read (%s); holding %d replicas",
            reading.problem(),
            held);
    return new Decision(held, direction(current, held), reason, true, Double.NaN, -1, state);
  }

  private static Direction direction(int current, int desired) {
    if (desired > current) {
      return Direction.UP;
    }
    return desired < current ? Direction.DOWN : Direction.NONE;
  }

  private String explain(Reading reading, int recommendation, int current, int desired) {
    String basis =
        String.format(
            Locale.ROOT,
            "queue %s at %s per replica recommends %d",
            number(reading.queueDepth()),
            number(policy.targetQueueDepth()),
            recommendation);
    if (reading.quality() == Reading.Quality.PARTIAL) {
      basis += " (partial reading, " + reading.problem() + ": not shrinking)";
    }
    if (desired != current) {
      return basis
          + (desired > current ? "; scaling up from " : "; scaling down from ")
          + current
          + " to "
          + desired;
    }
    if (recommendation != current) {
      boolean lower = recommendation < current;
      Duration window = lower ? policy.scaleDownStabilization() : policy.scaleUpStabilization();
      return String.format(
          Locale.ROOT,
          "%s; holding %d within the %ds scale-%s window",
          basis,
          current,
          window.getSeconds(),
          lower ? "down" : "up");
    }
    return basis + "; keeping " + current;
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }
}
