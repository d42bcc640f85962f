package io.fluxops.tools.simulate;

import io.fluxops.autoscale.Decision;
import io.fluxops.autoscale.QueueDepthScaler;
import io.fluxops.autoscale.Reading;
import io.fluxops.autoscale.Replicas;
import io.fluxops.autoscale.ScalerState;
import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.autoscale.SimClock;
import java.time.Instant;

/**
 * FluxOps' own {@link QueueDepthScaler}, driven the way the operator drives it: a reading per poll,
 * and the state written out as text and read back between polls, as if persisted in the
 * FluxDeployment's status.
 */
public final class AutoscalerStrategy implements ScalingStrategy {

  /** The operator's default poll interval ({@code pollIntervalSeconds}). */
  public static final double DEFAULT_POLL_SECONDS = 5;

  private final SimClock clock = new SimClock(Simulator.EPOCH);
  private final QueueDepthScaler scaler;
  private final double pollSeconds;
  private String persisted = ScalerState.initial().toCompactString();

  /** The scaler with {@code policy}, polled every {@code pollSeconds}. */
  public AutoscalerStrategy(ScalingPolicy policy, double pollSeconds) {
    this.scaler = new QueueDepthScaler(policy, clock);
    this.pollSeconds = pollSeconds;
  }

  @Override
  public String name() {
    return "fluxops";
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
    clock.set(now);
    Decision decision =
        scaler.decide(ScalerState.parse(persisted), Reading.of(queueDepth), replicas);
    persisted = decision.state().toCompactString();
    return decision.desiredReplicas();
  }
}
