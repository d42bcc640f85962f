package io.fluxops.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.LoaderJob;
import io.fluxops.operator.workload.ModelLoad;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/**
 * The loader Job of the spec's model cache load, named after the load's key: a new revision, file
 * list, claim or token Secret is a new Job; the same one is found again by its name. A Job's pod
 * template cannot change, so a Job that exists is left as it is (an operator upgrade with a new
 * loader image does not restart a finished load). The reconciler deletes the Jobs of loads the spec
 * no longer asks for.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class LoaderJobDependent extends CRUDKubernetesDependentResource<Job, FluxDeployment> {

  public LoaderJobDependent() {
    super(Job.class);
  }

  @Override
  protected Job desired(FluxDeployment primary, Context<FluxDeployment> context) {
    WorkflowInputs inputs = WorkflowInputs.from(context);
    return LoaderJob.build(
        primary,
        inputs.spec(),
        inputs.load().orElseThrow(),
        inputs.loaderImage(),
        inputs.huggingFaceEndpoint());
  }

  @Override
  public Optional<Job> getSecondaryResource(
      FluxDeployment primary, Context<FluxDeployment> context) {
    Optional<ModelLoad> load = WorkflowInputs.from(context).load();
    if (load.isEmpty()) {
      return Optional.empty();
    }
    ResourceID id =
        new ResourceID(
            load.get().jobName(primary.getMetadata().getName()),
            primary.getMetadata().getNamespace());
    return eventSource().flatMap(source -> source.get(id));
  }

  @Override
  public Matcher.Result<Job> match(
      Job actual, FluxDeployment primary, Context<FluxDeployment> context) {
    return Matcher.Result.nonComputed(true);
  }
}
