package io.fluxops.operator.dependent;

import io.fluxops.operator.workload.ModelLoad;
import io.fluxops.operator.workload.ServedModel;
import io.fluxops.operator.workload.ValidatedSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * What the reconciler decided before running the dependents: the validated spec, the replica count
 * (0 while the model cache is not complete), the images, and, with a model cache source, the load
 * the loader Job runs and the complete revision the pods read. The dependents read it from the
 * reconcile context.
 *
 * @param load the model cache's load, when {@code spec.modelCache.source} is set
 * @param served the complete revision the inference pods read, if there is one yet
 * @param huggingFaceEndpoint the Hub's base URL for the loader
 * @param networkPolicy whether the pods get a NetworkPolicy that admits only their serving and
 *     metering ports (counted by proxy, unless the operator was told policies are the cluster's)
 */
public record WorkflowInputs(
    ValidatedSpec spec,
    int replicas,
    String meteringImage,
    Optional<ModelLoad> load,
    Optional<ServedModel> served,
    String loaderImage,
    String huggingFaceEndpoint,
    boolean networkPolicy) {

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
