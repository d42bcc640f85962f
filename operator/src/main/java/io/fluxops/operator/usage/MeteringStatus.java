package io.fluxops.operator.usage;

import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.status.Conditions.Status;
import io.fluxops.operator.status.StatusAggregator;
import io.fluxops.operator.workload.PodLayout;
import io.fluxops.operator.workload.ValidatedSpec;
import java.util.Optional;

/**
 * Writes the metering part of a FluxDeployment's status: usage, cost and the Metering condition.
 */
public final class MeteringStatus {

  private MeteringStatus() {}

  /**
   * Records the latest usage reading. Without one (the operator just started, or no sidecar has
   * answered yet) the usage and the Metering condition already in status stand.
   */
  public static void apply(
      StatusAggregator conditions, ValidatedSpec spec, Optional<UsageReading> reading) {
    reading.ifPresent(r -> r.applyTo(conditions.fields()));
    if (!spec.metered()) {
      conditions.condition(
          ConditionType.METERING,
          Status.TRUE,
          "NotRequired",
          spec.model().slug() + " is Apache-2.0: there is no usage to report");
    } else if (reading.map(UsageReading::metering).isPresent()) {
      MeteringHealth health = reading.get().metering();
      conditions.condition(
          ConditionType.METERING, health.status(), health.reason(), health.message());
    } else if (conditions.previous(ConditionType.METERING).isEmpty()) {
      conditions.condition(
          ConditionType.METERING,
          Status.UNKNOWN,
          "WaitingForSidecars",
          "no metering sidecar has answered yet on port "
              + PodLayout.METERING_PORT
              + " (pods starting, or the port not reachable from the operator)");
    }
  }
}
