package io.fluxops.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fluxops.operator.api.FluxDeployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The loader Job exists only for a spec with {@code modelCache.source}. */
public class HasModelSource implements Condition<Job, FluxDeployment> {
  @Override
  public boolean isMet(
      DependentResource<Job, FluxDeployment> dependentResource,
      FluxDeployment primary,
      Context<FluxDeployment> context) {
    return WorkflowInputs.from(context).load().isPresent();
  }
}
