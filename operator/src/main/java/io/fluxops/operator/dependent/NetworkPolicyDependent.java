package io.fluxops.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.WorkloadFactory;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The NetworkPolicy that keeps other pods off the inference server's own port when the metering
 * sidecar is its front ({@code counting: proxy}): only what passes the meter is served.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class NetworkPolicyDependent extends NamedAfterPrimary<NetworkPolicy> {

  public NetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy desired(FluxDeployment primary, Context<FluxDeployment> context) {
    return WorkloadFactory.networkPolicy(primary, WorkflowInputs.from(context).spec());
  }
}
