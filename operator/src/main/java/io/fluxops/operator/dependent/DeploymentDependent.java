package io.fluxops.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.WorkloadFactory;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The inference Deployment: GPU pods with the metering sidecar. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DeploymentDependent extends NamedAfterPrimary<Deployment> {

  public DeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(FluxDeployment primary, Context<FluxDeployment> context) {
    var inputs = WorkflowInputs.from(context);
    return WorkloadFactory.deployment(
        primary, inputs.spec(), inputs.replicas(), inputs.meteringImage(), inputs.served());
  }
}
