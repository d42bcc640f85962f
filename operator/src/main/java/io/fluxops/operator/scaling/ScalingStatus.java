package io.fluxops.operator.scaling;

import io.fluxops.autoscale.Decision;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.status.Conditions.Status;
import io.fluxops.operator.status.StatusAggregator;
import java.time.Instant;
import java.util.Optional;

/** Writes the autoscaler's part of a FluxDeployment's status. */
public final class ScalingStatus {

  private ScalingStatus() {}

  /**
   * Records a decision: desired replicas, queue depth, last scale time, the Autoscaling condition
   * (its message says which rule sized, and why the queue rule when it did) and {@code
   * status.autoscaler}. Without a decision (no autoscaling), clears what autoscaling wrote.
   */
  public static void apply(StatusAggregator aggregator, Optional<Decision> decision) {
    FluxDeploymentStatus status = aggregator.fields();
    if (decision.isEmpty()) {
      status.setQueueDepth(null);
      status.setAutoscalerState(null);
      status.setAutoscaler(null);
      aggregator.remove(ConditionType.AUTOSCALING);
      return;
    }
    Decision d = decision.get();
    if (!Double.isNaN(d.queueDepth())) {
      status.setQueueDepth(Math.round(Math.ceil(d.queueDepth())));
    }
    Instant scaled = d.state().lastScaleTime();
    if (scaled != null) {
      status.setLastScaleTime(scaled.toString());
    }
    status.setAutoscaler(ScalerStateStatus.of(d));
    status.setAutoscalerState(null); // read once on upgrade; the typed memory replaces it
    boolean unreadable = "QueueUnreadable".equals(d.conditionReason());
    aggregator.condition(
        ConditionType.AUTOSCALING,
        unreadable ? Status.FALSE : Status.TRUE,
        d.conditionReason(),
        d.reason());
  }
}
