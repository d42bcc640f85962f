package io.fluxops.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.WorkloadFactory;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The PodDisruptionBudget that keeps node drains to one inference pod at a time. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class PodDisruptionBudgetDependent extends NamedAfterPrimary<PodDisruptionBudget> {

  public PodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(FluxDeployment primary, Context<FluxDeployment> context) {
    return WorkloadFactory.podDisruptionBudget(primary, WorkflowInputs.from(context).spec());
  }
}
