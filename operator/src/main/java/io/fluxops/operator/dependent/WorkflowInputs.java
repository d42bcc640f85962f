package io.fluxops.operator.dependent;

import io.fluxops.operator.workload.ValidatedSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the reconciler decided before running the dependents: the validated spec, the replica count
 * and the sidecar image. The dependents read it from the reconcile context.
 */
public record WorkflowInputs(ValidatedSpec spec, int replicas, String meteringImage) {

  private static final String KEY = WorkflowInputs.class.getName();

  /** Hands the inputs to this reconcile's dependents. */
  public void putInto(Context<?> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }

  static WorkflowInputs from(Context<?> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(KEY, WorkflowInputs.class);
  }
}
