package io.fluxops.operator.dependent;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.WorkloadFactory;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The inference pods' ServiceAccount, with no token mounted. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ServiceAccountDependent extends NamedAfterPrimary<ServiceAccount> {

  public ServiceAccountDependent() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(FluxDeployment primary, Context<FluxDeployment> context) {
    return WorkloadFactory.serviceAccount(primary, WorkflowInputs.from(context).spec());
  }
}
