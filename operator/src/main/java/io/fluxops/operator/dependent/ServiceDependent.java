package io.fluxops.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.WorkloadFactory;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Service in front of the inference pods. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ServiceDependent extends NamedAfterPrimary<Service> {

  public ServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(FluxDeployment primary, Context<FluxDeployment> context) {
    return WorkloadFactory.service(primary, WorkflowInputs.from(context).spec());
  }
}
