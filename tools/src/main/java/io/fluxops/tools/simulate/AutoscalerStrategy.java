package io.fluxops.tools.simulate;

import io.fluxops.autoscale.Decision;
import io.fluxops.autoscale.ImageCount;
import io.fluxops.autoscale.Priors;
import io.fluxops.autoscale.QueueDepthScaler;
import io.fluxops.autoscale.Reading;
import io.fluxops.autoscale.Replicas;
import io.fluxops.autoscale.ScalerState;
import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.autoscale.SimClock;
import java.time.Instant;
import java.util.function.DoubleToIntFunction;

/**
 * FluxOps' own {@link QueueDepthScaler}, driven the way the operator drives it: a queue reading per
 * poll, and the pods' image count as the operator last read it from the metering sidecars (every
 * {@link #DEFAULT_COUNT_SECONDS} by default), or no count at all, which leaves the scaler on the
 * queue rule.
 */
public final class AutoscalerStrategy implements ScalingStrategy {

  /** The operator's default poll interval ({@code pollIntervalSeconds}). */
  public static final double DEFAULT_POLL_SECONDS = 5;

  /** How often the operator reads the sidecars' counts ({@code FLUXOPS_USAGE_POLL_SECONDS}). */
  public static final double DEFAULT_COUNT_SECONDS = 15;

  private final SimClock clock = new SimClock(Simulator.EPOCH);
  private final QueueDepthScaler scaler;
  private final ScalingPolicy policy;
  private final Priors priors;
  private final DoubleToIntFunction warmAt;
  private final double pollSeconds;
  private final double countSeconds;
  private final String name;
  private ScalerState state = ScalerState.initial();
  private long counted = -1;
  private double nextCount;

  /**
   * The scaler with {@code policy} and {@code priors}, polled every {@code pollSeconds}, seeing the
   * image count every {@code countSeconds} ({@code 0}: never, the queue rule).
   */
  public AutoscalerStrategy(
      ScalingPolicy policy, Priors priors, double pollSeconds, double countSeconds) {
    this("fluxops", policy, priors, pollSeconds, countSeconds);
  }

  /** The same, reported under {@code name}. */
  public AutoscalerStrategy(
      String name, ScalingPolicy policy, Priors priors, double pollSeconds, double countSeconds) {
    this(name, policy, priors, pollSeconds, countSeconds, null);
  }

  private AutoscalerStrategy(
      String name,
      ScalingPolicy policy,
      Priors priors,
      double pollSeconds,
      double countSeconds,
      DoubleToIntFunction warmAt) {
    this.name = name;
    this.policy = policy;
    this.priors = priors;
    this.scaler = new QueueDepthScaler(policy, priors, clock);
    this.pollSeconds = pollSeconds;
    this.countSeconds = countSeconds;
    this.warmAt = warmAt;
  }

  /**
   * The same scaler with scheduled warm capacity, as {@code autoscaling.schedules} would give:
   * never fewer than {@code warmAt(second)} replicas, the second counted from the trace's start.
   */
  public AutoscalerStrategy withSchedule(String scheduleName, DoubleToIntFunction warmAt) {
    return new AutoscalerStrategy(scheduleName, policy, priors, pollSeconds, countSeconds, warmAt);
  }

  /** The queue rule only: no image counts. */
  public AutoscalerStrategy(ScalingPolicy policy, double pollSeconds) {
    this("fluxops", policy, Priors.NONE, pollSeconds, 0);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public double pollSeconds() {
    return pollSeconds;
  }

  @Override
  public int initialReplicas(int warm) {
    return scaler.policy().clamp(warm);
  }

  @Override
  public int poll(Instant now, double queueDepth, Replicas replicas) {
    return poll(now, queueDepth, replicas, -1);
  }

  @Override
  public int poll(Instant now, double queueDepth, Replicas replicas, long completed) {
    clock.set(now);
    double seconds = (now.toEpochMilli() - Simulator.EPOCH.toEpochMilli()) / 1000.0;
    if (countSeconds > 0 && completed >= 0 && seconds + 1e-9 >= nextCount) {
      counted = completed;
      nextCount = seconds + countSeconds;
    }
    ImageCount images =
        countSeconds > 0 && counted >= 0
            ? ImageCount.of(counted)
            : ImageCount.missing("no image counts");
    QueueDepthScaler deciding = scaler;
    if (warmAt != null && warmAt.applyAsInt(seconds) > policy.minReplicas()) {
      deciding =
          new QueueDepthScaler(
              policy.withMinReplicas(Math.min(policy.maxReplicas(), warmAt.applyAsInt(seconds))),
              priors,
              clock);
    }
    Decision decision = deciding.decide(state, Reading.of(queueDepth), replicas, images);
    state = decision.state();
    return decision.desiredReplicas();
  }
}
