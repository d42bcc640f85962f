package io.fluxops.operator.scaling;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fluxops.autoscale.Decision;
import io.fluxops.autoscale.ImageCount;
import io.fluxops.autoscale.Priors;
import io.fluxops.autoscale.QueueDepthScaler;
import io.fluxops.autoscale.Reading;
import io.fluxops.autoscale.Replicas;
import io.fluxops.autoscale.ScalerState;
import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.common.GpuType;
import io.fluxops.operator.api.AutoscalingSpec;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.cost.Prices;
import io.fluxops.operator.workload.ValidatedSpec;
import io.fluxops.queue.PodScraper;
import io.fluxops.queue.QueueReading;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queue-depth autoscaling inside the operator: the polling event source that reads queues, and the
 * decision the reconciler applies. The algorithm itself is {@link QueueDepthScaler}; its memory is
 * kept here and persisted in {@code status.autoscaler}, so a restarted operator keeps its
 * stabilization windows and measurements.
 */
public final class QueueScaling implements AutoCloseable {

  /**
   * Queue polls in flight at once; each read has its own timeout, so none can stall the rest. A
   * poll holds its thread while its pods answer (about 50 ms on two busy cores): 1,000 deployments
   * at a 5 s interval need 200 polls a second, which 8 threads could not keep up with and 32 do
   * with room to spare (BENCHMARKS.md, "Operator at scale").
   */
  static final int POLL_THREADS = 32;

  private static final Logger LOG = LoggerFactory.getLogger(QueueScaling.class);

  private final Clock clock;
  private final ScalingMetrics metrics;
  private final PodScraper scraper = new PodScraper();
  private final ScheduledExecutorService executor;
  private final Map<ResourceID, ScalerState> states = new ConcurrentHashMap<>();
  private QueuePoller poller;
  private final List<Consumer<ResourceID>> deletionListeners = new CopyOnWriteArrayList<>();

  public QueueScaling(Clock clock, ScalingMetrics metrics) {
    this.clock = clock;
    this.metrics = metrics;
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            POLL_THREADS,
            r -> {
              Thread t = new Thread(r, "fluxops-queue-poll");
              t.setDaemon(true);
              return t;
            });
    pool.setRemoveOnCancelPolicy(true);
    this.executor = pool;
  }

  /**
   * The event source that polls each autoscaled FluxDeployment's queue and triggers a reconcile
   * when the reading changes.
   *
   * @param pods the pods of a FluxDeployment, from the operator's pod cache
   */
  public PerResourcePollingEventSource<QueueReading, FluxDeployment, String> eventSource(
      EventSourceContext<FluxDeployment> context, Function<FluxDeployment, Collection<Pod>> pods) {
    poller = new QueuePoller(pods, scraper, metrics, clock);
    var configuration =
        new PerResourcePollingConfigurationBuilder<QueueReading, FluxDeployment, String>(
                poller, QueuePoller.NOT_AUTOSCALED_RECHECK)
            .withName("queue")
            .withExecutorService(executor)
            .withResourceIDMapper(ResourceIDMapper.singleResourceResourceIDMapper())
            .build();
    return new PerResourcePollingEventSource<>(QueueReading.class, context, configuration) {
      @Override
      public void onResourceDeleted(FluxDeployment resource) {
        super.onResourceDeleted(resource);
        ResourceID id = ResourceID.fromResource(resource);
        forget(id);
        deletionListeners.forEach(listener -> listener.accept(id));
      }
    };
  }

  /** Calls {@code listener} when a FluxDeployment is deleted, to drop what is kept for it. */
  public void onDeleted(Consumer<ResourceID> listener) {
    deletionListeners.add(listener);
  }

  /**
   * Decides the replicas of an autoscaled FluxDeployment from its latest queue reading and its
   * pods' image count.
   *
   * @param reading the latest reading, empty when none arrived yet
   * @param deployment the inference Deployment; without one there is no size to scale from
   * @param images the pods' image count as the usage poller last read it, or why it is missing
   * @param prices what a GPU hour and a managed-API image cost, for the scaler's image value
   * @return the decision, or empty when the FluxDeployment is not autoscaled or not created yet
   */
  public Optional<Decision> decide(
      FluxDeployment fd,
      ValidatedSpec spec,
      Optional<QueueReading> reading,
      Optional<Deployment> deployment,
      ImageCount images,
      Prices prices) {
    ResourceID id = ResourceID.fromResource(fd);
    if (!spec.autoscaled() || fd.getSpec().isPaused()) {
      forget(id);
      return Optional.empty();
    }
    if (deployment.isEmpty()) {
      return Optional.empty();
    }
    QueueDepthScaler scaler =
        new QueueDepthScaler(policy(spec.spec().getAutoscaling()), priors(spec, prices), clock);
    ScalerState state = states.computeIfAbsent(id, key -> restore(fd));
    Reading input =
        reading.map(QueueReading::toReading).orElse(Reading.failed("no queue reading yet"));
    Decision decision = scaler.decide(state, input, replicas(deployment.get()), images);
    states.put(id, decision.state());
    metrics.recordDecision(fd, spec, decision);
    if (decision.changesSize()) {
      LOG.info(
          "Scaling {}/{} to {} replicas: {}",
          fd.getMetadata().getNamespace(),
          fd.getMetadata().getName(),
          decision.desiredReplicas(),
          decision.reason());
    }
    return Optional.of(decision);
  }

  /** When to decide again although no new reading came: while a window holds a change back. */
  public static Optional<Duration> recheckAfter(Decision decision, ValidatedSpec spec) {
    boolean pending =
        decision.recommendation() >= 0 && decision.recommendation() != decision.desiredReplicas();
    return pending || decision.dataMissing()
        ? Optional.of(Duration.ofSeconds(spec.spec().getAutoscaling().getPollIntervalSeconds()))
        : Optional.empty();
  }

  /**
   * The policy of {@code spec.autoscaling}. Without {@code scaleDownStabilizationSeconds} each rule
   * keeps its default window (60 s on image counts, 300 s on the queue rule); a window the user set
   * serves both.
   */
  static ScalingPolicy policy(AutoscalingSpec spec) {
    ScalingPolicy policy =
        new ScalingPolicy(
            spec.getMinReplicas(),
            spec.getMaxReplicas(),
            spec.getTargetQueueDepth(),
            Duration.ofSeconds(spec.getScaleUpStabilizationSeconds()),
            ScalingPolicy.DEFAULT_SCALE_DOWN_STABILIZATION,
            Duration.ofSeconds(spec.getIdleBeforeZeroSeconds()),
            ScalingPolicy.DEFAULT_QUEUE_RULE_SCALE_DOWN_STABILIZATION,
            true);
    Integer down = spec.getScaleDownStabilizationSeconds();
    return down == null
        ? policy
        : policy.withWindows(policy.scaleUpStabilization(), Duration.ofSeconds(down));
  }

  /**
   * What the scaler assumes before it has measured: the GPU type's published time per image for the
   * model, its estimated pod start, and an image's worth in GPU-seconds (the managed API's price
   * per image over the replica's GPUs' price per second).
   */
  static Priors priors(ValidatedSpec spec, Prices prices) {
    GpuType gpu = spec.gpuType();
    double replicaPerSecond = prices.gpuHourlyPriceUsd() * spec.spec().getGpu().getCount() / 3600;
    double imageValue =
        replicaPerSecond > 0
            ? prices.apiPricePerImageUsd() / replicaPerSecond
            : Priors.DEFAULT_IMAGE_VALUE_GPU_SECONDS;
    return new Priors(
        gpu.secondsPerImage(spec.model()),
        gpu.modelLoadSeconds(),
        imageValue > 0 ? imageValue : Priors.DEFAULT_IMAGE_VALUE_GPU_SECONDS);
  }

  private static Replicas replicas(Deployment deployment) {
    int current =
        deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    int ready =
        deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null
            ? 0
            : deployment.getStatus().getReadyReplicas();
    return Replicas.of(current, Math.min(ready, current));
  }

  /**
   * The memory a previous operator persisted: {@code status.autoscaler}, or the text form in {@code
   * status.autoscalerState} that operators before it wrote (read once: the next status write
   * replaces it); a fresh one if there is none or it is unreadable.
   */
  static ScalerState restore(FluxDeployment fd) {
    if (fd.getStatus() == null) {
      return ScalerState.initial();
    }
    try {
      Optional<ScalerState> typed = ScalerStateStatus.read(fd.getStatus().getAutoscaler());
      if (typed.isPresent()) {
        return typed.get();
      }
    } catch (IllegalArgumentException e) {
      return unreadable(fd, "status.autoscaler", e);
    }
    String saved = fd.getStatus().getAutoscalerState();
    if (saved == null || saved.isBlank()) {
      return ScalerState.initial();
    }
    try {
      return ScalerState.parseLegacy(saved);
    } catch (IllegalArgumentException e) {
      return unreadable(fd, "status.autoscalerState", e);
    }
  }

  private static ScalerState unreadable(FluxDeployment fd, String field, Exception e) {
    LOG.warn(
        "Ignoring unreadable {} of {}/{}, starting afresh: {}",
        field,
        fd.getMetadata().getNamespace(),
        fd.getMetadata().getName(),
        e.getMessage());
    return ScalerState.initial();
  }

  private void forget(ResourceID id) {
    states.remove(id);
    metrics.forget(id);
    if (poller != null) {
      poller.forget(id);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    if (poller != null) {
      poller.close();
    }
    scraper.close();
  }
}
