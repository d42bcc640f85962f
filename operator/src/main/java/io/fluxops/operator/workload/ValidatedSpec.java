package io.fluxops.operator.workload;

import io.fluxops.common.FluxModel;
import io.fluxops.common.GpuType;
import io.fluxops.operator.api.CountingMode;
import io.fluxops.operator.api.FluxDeploymentSpec;
import io.fluxops.operator.api.QueueSourceType;
import io.fluxops.operator.api.TensorRtMode;

/**
 * A spec that passed {@link SpecValidator}, with its enum-valued strings parsed. The builders take
 * this, so they never meet an unknown model or GPU type.
 *
 * @param counting the licence's counting mode, or {@code null} for an unmetered model
 * @param queueSource the autoscaler's queue source, or {@code null} without autoscaling
 */
public record ValidatedSpec(
    FluxDeploymentSpec spec,
    FluxModel model,
    GpuType gpuType,
    TensorRtMode tensorRt,
    CountingMode counting,
    QueueSourceType queueSource) {

  /** Whether the model is metered, so the pod gets the metering sidecar. */
  public boolean metered() {
    return model.metered();
  }

  public boolean autoscaled() {
    return spec.getAutoscaling() != null;
  }
}
