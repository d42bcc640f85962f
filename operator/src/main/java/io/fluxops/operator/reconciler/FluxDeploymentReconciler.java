package io.fluxops.operator.reconciler;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fluxops.autoscale.Decision;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.cost.Prices;
import io.fluxops.operator.dependent.DeploymentDependent;
import io.fluxops.operator.dependent.GuardsServerPort;
import io.fluxops.operator.dependent.HasModelSource;
import io.fluxops.operator.dependent.LoaderJobDependent;
import io.fluxops.operator.dependent.NetworkPolicyDependent;
import io.fluxops.operator.dependent.PodDisruptionBudgetDependent;
import io.fluxops.operator.dependent.ServiceAccountDependent;
import io.fluxops.operator.dependent.ServiceDependent;
import io.fluxops.operator.dependent.WorkflowInputs;
import io.fluxops.operator.metrics.FleetMetrics;
import io.fluxops.operator.modelcache.LoaderStatusClient;
import io.fluxops.operator.modelcache.ModelCacheConditions;
import io.fluxops.operator.modelcache.ModelCacheObserver;
import io.fluxops.operator.modelcache.ModelCacheView;
import io.fluxops.operator.scaling.QueueScaling;
import io.fluxops.operator.scaling.ScalingStatus;
import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.status.Conditions;
import io.fluxops.operator.status.PodDiagnosis;
import io.fluxops.operator.status.StatusAggregator;
import io.fluxops.operator.status.StatusComputer;
import io.fluxops.operator.usage.MeteringStatus;
import io.fluxops.operator.usage.UsageCollection;
import io.fluxops.operator.usage.UsageReading;
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.LoaderJob;
import io.fluxops.operator.workload.ModelLoad;
import io.fluxops.operator.workload.ReplicaTarget;
import io.fluxops.operator.workload.ServedModel;
import io.fluxops.operator.workload.SpecValidator;
import io.fluxops.operator.workload.ValidatedSpec;
import io.fluxops.queue.QueueReading;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a FluxDeployment into its inference workload. Orchestration only: validation, the owned
 * objects and the status each live in their own classes.
 *
 * <p>The workflow is invoked explicitly so that an invalid or paused spec changes nothing: the
 * owned objects are left as they are and only the status says why.
 */
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(type = ServiceAccountDependent.class, name = FluxDeploymentReconciler.SA),
      @Dependent(
          type = DeploymentDependent.class,
          name = FluxDeploymentReconciler.DEPLOYMENT,
          dependsOn = FluxDeploymentReconciler.SA),
      @Dependent(type = ServiceDependent.class, name = "service"),
      @Dependent(type = PodDisruptionBudgetDependent.class, name = "poddisruptionbudget"),
      @Dependent(
          type = LoaderJobDependent.class,
          name = FluxDeploymentReconciler.LOADER_JOB,
          dependsOn = FluxDeploymentReconciler.SA,
          reconcilePrecondition = HasModelSource.class),
      @Dependent(
          type = NetworkPolicyDependent.class,
          name = "networkpolicy",
          reconcilePrecondition = GuardsServerPort.class)
    })
@ControllerConfiguration(name = FluxDeploymentReconciler.NAME)
@GradualRetry(
    maxAttempts = -1,
    initialInterval = 1000L,
    intervalMultiplier = 2.0,
    maxInterval = 300_000L)
public class FluxDeploymentReconciler implements Reconciler<FluxDeployment> {

  public static final String NAME = "fluxdeployment";
  static final String SA = "serviceaccount";
  static final String DEPLOYMENT = "deployment";
  static final String LOADER_JOB = "loaderjob";

  /** How often to read a loader's progress while it downloads. */
  static final Duration LOADER_RECHECK = Duration.ofSeconds(5);

  /** How often to look again at pods stuck before their containers exist. */
  static final Duration STUCK_POD_RECHECK = Duration.ofSeconds(30);

  private static final int MAX_ERROR_MESSAGE = 500;
  private static final Logger LOG = LoggerFactory.getLogger(FluxDeploymentReconciler.class);

  private final OperatorConfig config;
  private final Clock clock;
  private final QueueScaling scaling;
  private final UsageCollection usage;

  private final FleetMetrics fleet;
  private final BooleanSupplier stopping;
  private final ModelCacheObserver modelCache = new ModelCacheObserver(new LoaderStatusClient());

  /**
   * @param stopping true once the operator is closing: a reconcile it cuts short is no failure of
   *     the FluxDeployment's and is not reported as one
   */
  public FluxDeploymentReconciler(
      OperatorConfig config,
      Clock clock,
      QueueScaling scaling,
      UsageCollection usage,
      FleetMetrics fleet,
      BooleanSupplier stopping) {
    this.config = config;
    this.clock = clock;
    this.scaling = scaling;
    this.usage = usage;
    this.fleet = fleet;
    this.stopping = stopping;
    scaling.onDeleted(fleet::forget);
  }

  @Override
  public List<EventSource<?, FluxDeployment>> prepareEventSources(
      EventSourceContext<FluxDeployment> context) {
    var pods =
        InformerEventSourceConfiguration.from(Pod.class, FluxDeployment.class)
            .withName("pods")
            .withLabelSelector(Labels.MANAGED_SELECTOR)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                pod -> {
                  String owner = pod.getMetadata().getLabels().get(Labels.INSTANCE);
                  return owner == null
                      ? Set.of()
                      : Set.of(new ResourceID(owner, pod.getMetadata().getNamespace()));
                })
            .build();
    InformerEventSource<Pod, FluxDeployment> podSource = new InformerEventSource<>(pods, context);
    Function<FluxDeployment, Collection<Pod>> podsOf = fd -> podsOf(podSource, fd);
    return List.of(
        podSource, scaling.eventSource(context, podsOf), usage.eventSource(context, podsOf));
  }

  /**
   * A FluxDeployment's inference pods, straight from the informer's cache by label. The SDK's
   * secondary index is filled by the informer's event handler after the cache, so just after a
   * start it can miss pods the cache already has. The loader Job's pods carry the instance label
   * too, under another name: they are not inference pods.
   */
  private static List<Pod> podsOf(
      InformerEventSource<Pod, FluxDeployment> pods, FluxDeployment fd) {
    return podsLabelled(pods, fd, Labels.APP_NAME, null);
  }

  private static List<Pod> podsLabelled(
      InformerEventSource<Pod, FluxDeployment> pods, FluxDeployment fd, String app, String load) {
    String name = fd.getMetadata().getName();
    return pods.list(
            fd.getMetadata().getNamespace(),
            pod -> {
              Map<String, String> labels = pod.getMetadata().getLabels();
              return name.equals(labels.get(Labels.INSTANCE))
                  && app.equals(labels.get(Labels.NAME))
                  && (load == null || load.equals(labels.get(LoaderJob.LOAD_LABEL)));
            })
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<Pod, FluxDeployment> podSource(
      Context<FluxDeployment> context) {
    return (InformerEventSource<Pod, FluxDeployment>)
        context.eventSourceRetriever().getEventSourceFor(Pod.class, "pods");
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<Job, FluxDeployment> jobSource(
      Context<FluxDeployment> context) {
    return (InformerEventSource<Job, FluxDeployment>)
        context.eventSourceRetriever().getEventSourceFor(Job.class);
  }

  /** The inference Deployment from the informer's cache, by name (see {@link #podsOf}). */
  private static Optional<Deployment> deploymentOf(
      FluxDeployment fd, Context<FluxDeployment> context) {
    var deployments =
        (InformerEventSource<Deployment, FluxDeployment>)
            context.eventSourceRetriever().getEventSourceFor(Deployment.class);
    return deployments.get(ResourceID.fromResource(fd));
  }

  @Override
  public UpdateControl<FluxDeployment> reconcile(
      FluxDeployment fd, Context<FluxDeployment> context) {
    SpecValidator.Result result = SpecValidator.validate(fd.getSpec());
    StatusAggregator status = StatusAggregator.of(fd, clock.instant());
    Optional<Duration> recheck;
    if (result instanceof SpecValidator.Valid valid) {
      recheck = observe(fd, valid.spec(), context, status);
    } else {
      SpecValidator.Invalid invalid = (SpecValidator.Invalid) result;
      logInvalidOnce(fd, invalid.message());
      StatusComputer.invalid(status, invalid.message());
      recheck = Optional.empty();
    }
    FluxDeploymentStatus next = status.build();
    fleet.update(fd, next);
    boolean unchanged = StatusAggregator.unchanged(fd.getStatus(), next);
    if (!unchanged && LOG.isDebugEnabled()) {
      LOG.debug(
          "Status of {} changes: {}",
          ResourceID.fromResource(fd),
          StatusAggregator.changes(fd.getStatus(), next));
    }
    if (!unchanged) {
      writeStatus(fd, next, context);
    }
    UpdateControl<FluxDeployment> control = UpdateControl.noUpdate();
    return recheck.map(control::rescheduleAfter).orElse(control);
  }

  /**
   * Writes the status, and keeps what the API server answered as the FluxDeployment's latest
   * version for the next reconcile. The SDK's {@code UpdateControl.patchStatus} drops the answer: a
   * reconcile that followed before the informer saw the write computed its JSON patch from the
   * version before it, and a patch that addresses list entries by index then fails (the mock API
   * server leaves it unanswered; kube-apiserver answers 422) or lands on entries that moved. A 422
   * is retried on the newer version once the informer has it.
   */
  private void writeStatus(
      FluxDeployment fd, FluxDeploymentStatus next, Context<FluxDeployment> context) {
    if (config.serverSideApply()) {
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
          fd, StatusAggregator.forStatusPatch(fd, next), context);
    } else {
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
          fd,
          context,
          latest -> {
            latest.setStatus(next);
            return latest;
          });
    }
  }

  /**
   * Applies the workload and writes every part of the status into {@code status}; returns when to
   * look again without waiting for an event.
   */
  private Optional<Duration> observe(
      FluxDeployment fd,
      ValidatedSpec spec,
      Context<FluxDeployment> context,
      StatusAggregator status) {
    Optional<Deployment> deployment = deploymentOf(fd, context);
    Optional<Decision> decision =
        scaling.decide(
            fd,
            spec,
            context.getSecondaryResource(QueueReading.class),
            deployment,
            usage.imageCount(fd),
            Prices.of(spec.spec(), config));
    int replicas =
        decision
            .map(Decision::desiredReplicas)
            .orElseGet(() -> ReplicaTarget.desired(fd, spec, deployment));
    Optional<ModelLoad> load = ModelLoad.of(fd.getSpec(), spec.model());
    Optional<ModelCacheView> cache = load.map(l -> observeModelCache(fd, l, context));
    Optional<ServedModel> served = cache.flatMap(ModelCacheView::served);
    // No GPU pod before its weights are complete on the claim: the Deployment is held at zero.
    boolean held = load.isPresent() && served.isEmpty();
    if (!fd.getSpec().isPaused()) {
      new WorkflowInputs(
              spec,
              held ? 0 : replicas,
              config.meteringImage(),
              load,
              served,
              config.loaderImage(),
              config.huggingFaceEndpoint(),
              spec.proxied() && config.proxyNetworkPolicy())
          .putInto(context);
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      deleteSupersededLoaderJobs(fd, load, context);
    }
    Collection<Pod> pods = podsOf(podSource(context), fd);
    PodDiagnosis diagnosis = PodDiagnosis.of(pods, List.of());
    boolean stuck = !diagnosis.waitingForVolumes().isEmpty();
    if (stuck) {
      diagnosis = PodDiagnosis.of(pods, eventsOf(fd, diagnosis.waitingForVolumes(), context));
    }
    StatusComputer.observed(status, fd, spec, replicas, deploymentOf(fd, context), diagnosis);
    ScalingStatus.apply(status, decision);
    MeteringStatus.apply(status, spec, context.getSecondaryResource(UsageReading.class));
    ModelCacheConditions.apply(status, cache, held);
    return Stream.of(
            stuck ? Optional.of(STUCK_POD_RECHECK) : Optional.<Duration>empty(),
            decision.flatMap(d -> QueueScaling.recheckAfter(d, spec)),
            awaitingDeployment(fd, spec, decision),
            cache.filter(ModelCacheView::watching).map(c -> LOADER_RECHECK))
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
  }

  /** The model cache's state, from the loader Job, its pods and the running loader's report. */
  private ModelCacheView observeModelCache(
      FluxDeployment fd, ModelLoad load, Context<FluxDeployment> context) {
    String jobName = load.jobName(fd.getMetadata().getName());
    Optional<Job> job =
        jobSource(context).get(new ResourceID(jobName, fd.getMetadata().getNamespace()));
    List<Pod> loaderPods = podsLabelled(podSource(context), fd, LoaderJob.APP_NAME, load.key());
    return modelCache.observe(fd, load, job, loaderPods, names -> eventsOf(fd, names, context));
  }

  /**
   * Deletes the loader Jobs of loads the spec no longer asks for (another revision, file list,
   * claim or token; or no source at all), with their pods: a superseded download stops at once.
   */
  private static void deleteSupersededLoaderJobs(
      FluxDeployment fd, Optional<ModelLoad> load, Context<FluxDeployment> context) {
    String name = fd.getMetadata().getName();
    String key = load.map(ModelLoad::key).orElse("");
    jobSource(context)
        .list(
            fd.getMetadata().getNamespace(),
            job ->
                name.equals(job.getMetadata().getLabels().get(Labels.INSTANCE))
                    && !key.equals(job.getMetadata().getLabels().get(LoaderJob.LOAD_LABEL)))
        .forEach(
            job ->
                context
                    .getClient()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName())
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                    .delete());
  }

  /** Whether every failure in {@code e} is an HTTP 409 from the API server. */
  static boolean isConflict(Throwable e) {
    if (e instanceof AggregatedOperatorException aggregated) {
      return !aggregated.getAggregatedExceptions().isEmpty()
          && aggregated.getAggregatedExceptions().values().stream()
              .allMatch(FluxDeploymentReconciler::isConflict);
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException client) {
        return client.getCode() == HttpURLConnection.HTTP_CONFLICT;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /**
   * An autoscaled FluxDeployment whose Deployment this reconcile has just created is not in the
   * informer's cache yet, so there was nothing to scale. The SDK does not reconcile again for the
   * operator's own create, and a queue whose reading does not change (a Redis backlog with no pods
   * to start) sends no event either: look again after one poll interval.
   */
  private static Optional<Duration> awaitingDeployment(
      FluxDeployment fd, ValidatedSpec spec, Optional<Decision> decision) {
    return spec.autoscaled() && !fd.getSpec().isPaused() && decision.isEmpty()
        ? Optional.of(Duration.ofSeconds(spec.spec().getAutoscaling().getPollIntervalSeconds()))
        : Optional.empty();
  }

  @Override
  public ErrorStatusUpdateControl<FluxDeployment> updateErrorStatus(
      FluxDeployment fd, Context<FluxDeployment> context, Exception e) {
    if (isConflict(e)) {
      // Another writer (the Deployment controller updating what it owns, say) changed an object
      // between the cache and the write: the retry reads it again. Not a failure to show.
      LOG.debug("Write conflict for {}; retrying", ResourceID.fromResource(fd));
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    String message = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
    if (message.length() > MAX_ERROR_MESSAGE) {
      message = message.substring(0, MAX_ERROR_MESSAGE) + "...";
    }
    if (stopping.getAsBoolean()) {
      // The operator is closing (a rolling update, the Lease lost): its requests are cut short,
      // and the next leader reconciles at once. A ReconcileError written now would turn Ready
      // False on every FluxDeployment in flight, on every rollout of the operator.
      LOG.info(
          "Stopping: {} is left to the next operator that leads ({})",
          ResourceID.fromResource(fd),
          message);
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    // Only the Ready condition changes: the rest of the status is what the last reconcile saw.
    FluxDeploymentStatus current =
        fd.getStatus() == null ? new FluxDeploymentStatus() : fd.getStatus();
    FluxDeploymentStatus next =
        StatusAggregator.of(fd, clock.instant())
            .condition(
                ConditionType.READY,
                Conditions.Status.FALSE,
                "ReconcileError",
                "the operator could not apply the workload and will retry: " + message)
            .build();
    next.setObservedGeneration(current.getObservedGeneration());
    if (!StatusAggregator.unchanged(fd.getStatus(), next)) {
      try {
        writeStatus(fd, next, context);
      } catch (KubernetesClientException | OperatorException writeFailed) {
        // The API server that refused the workload may refuse this too; the retry writes again.
        LOG.warn(
            "Could not write the status of {}: {}",
            ResourceID.fromResource(fd),
            writeFailed.getMessage());
      }
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * Events of the stuck pods. Read with one list of the namespace's events, filtered here, so it
   * works on API servers that do not index events by involved object.
   */
  private Collection<Event> eventsOf(
      FluxDeployment fd, List<String> podNames, Context<FluxDeployment> context) {
    Set<String> pods = Set.copyOf(podNames);
    return context
        .getClient()
        .v1()
        .events()
        .inNamespace(fd.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(e -> e.getInvolvedObject() != null)
        .filter(e -> "Pod".equals(e.getInvolvedObject().getKind()))
        .filter(e -> pods.contains(e.getInvolvedObject().getName()))
        .toList();
  }

  private static void logInvalidOnce(FluxDeployment fd, String message) {
    boolean alreadyReported =
        fd.getStatus() != null
            && Objects.equals(
                fd.getStatus().getObservedGeneration(), fd.getMetadata().getGeneration())
            && Conditions.find(fd.getStatus().getConditions(), ConditionType.READY)
                .map(c -> "InvalidSpec".equals(c.getReason()))
                .orElse(false);
    if (!alreadyReported) {
      LOG.info(
          "FluxDeployment {}/{} is invalid: {}",
          fd.getMetadata().getNamespace(),
          fd.getMetadata().getName(),
          message);
    }
  }
}
