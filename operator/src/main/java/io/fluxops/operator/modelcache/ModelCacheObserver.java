package io.fluxops.operator.modelcache;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fluxops.common.ModelLoader;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.LoaderJob;
import io.fluxops.operator.workload.ModelLoad;
import io.fluxops.operator.workload.PodPorts;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Gathers what {@link ModelCacheView} needs beyond the informers' caches: the running loader's own
 * report, read from its pod, and the events of a loader pod stuck before it starts.
 */
public final class ModelCacheObserver {
  private final LoaderStatusClient loaders;

  public ModelCacheObserver(LoaderStatusClient loaders) {
    this.loaders = loaders;
  }

  /**
   * @param job the load's Job, if it exists
   * @param pods the Job's pods
   * @param eventsOf the events of the named pods (one list call, made only for a stuck pod)
   */
  public ModelCacheView observe(
      FluxDeployment fd,
      ModelLoad load,
      Optional<Job> job,
      List<Pod> pods,
      Function<List<String>, Collection<Event>> eventsOf) {
    Optional<LoaderReport> live =
        pods.stream()
            .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
            .filter(p -> p.getStatus().getPodIP() != null && !p.getStatus().getPodIP().isEmpty())
            .findFirst()
            .flatMap(
                p ->
                    loaders.read(
                        p.getStatus().getPodIP(),
                        PodPorts.named(p, LoaderJob.STATUS_PORT_NAME).orElse(ModelLoader.PORT)));
    List<String> pending =
        pods.stream()
            .filter(p -> p.getStatus() != null && "Pending".equals(p.getStatus().getPhase()))
            .map(p -> p.getMetadata().getName())
            .toList();
    Collection<Event> events = pending.isEmpty() ? List.of() : eventsOf.apply(pending);
    return ModelCacheView.of(
        new ModelCacheView.Inputs(
            load,
            load.jobName(fd.getMetadata().getName()),
            job,
            pods,
            live,
            events,
            Optional.ofNullable(fd.getStatus()).map(s -> s.getModelCache())));
  }
}
