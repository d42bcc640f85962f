package io.fluxops.tools.simulate;

import io.fluxops.autoscale.Replicas;
import java.time.Instant;

/** A fixed number of pods, warm from the start: provisioning for the peak. */
public final class FixedStrategy implements ScalingStrategy {

  private final int replicas;

  /** Always {@code replicas} pods. */
  public FixedStrategy(int replicas) {
    this.replicas = replicas;
  }

  @Override
  public String name() {
    return "fixed-" + replicas;
  }

  @Override
  public double pollSeconds() {
    return 60;
  }

  @Override
  public int initialReplicas(int warm) {
    return replicas;
  }

  @Override
  public int poll(Instant now, double queueDepth, Replicas current) {
    return replicas;
  }
}
