package io.fluxops.operator.workload;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fluxops.operator.api.AutoscalingSpec;
import io.fluxops.operator.api.FluxDeployment;
import java.util.Optional;

/**
 * How many replicas the Deployment should have. A fixed size comes from {@code spec.replicas} (1 if
 * unset). An autoscaled size comes from the autoscaler's last decision in {@code
 * status.desiredReplicas}; until it has one, the Deployment keeps its size, within min and max.
 */
public final class ReplicaTarget {

  private ReplicaTarget() {}

  /** The replicas to ask the Deployment for. */
  public static int desired(FluxDeployment fd, ValidatedSpec spec, Optional<Deployment> current) {
    AutoscalingSpec autoscaling = spec.spec().getAutoscaling();
    if (autoscaling == null) {
      Integer replicas = spec.spec().getReplicas();
      return replicas == null ? 1 : replicas;
    }
    Integer decided = fd.getStatus() == null ? null : fd.getStatus().getDesiredReplicas();
    int wanted =
        decided != null
            ? decided
            : current.map(d -> d.getSpec().getReplicas()).orElse(autoscaling.getMinReplicas());
    return Math.max(autoscaling.getMinReplicas(), Math.min(autoscaling.getMaxReplicas(), wanted));
  }
}
