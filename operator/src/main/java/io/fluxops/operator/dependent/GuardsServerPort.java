package io.fluxops.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fluxops.operator.api.FluxDeployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The NetworkPolicy exists only for pods counted by proxy (and only while the operator places
 * them); when a spec leaves proxy counting, the SDK deletes it.
 */
public class GuardsServerPort implements Condition<NetworkPolicy, FluxDeployment> {
  @Override
  public boolean isMet(
      DependentResource<NetworkPolicy, FluxDeployment> dependentResource,
      FluxDeployment primary,
      Context<FluxDeployment> context) {
    return WorkflowInputs.from(context).networkPolicy();
  }
}
