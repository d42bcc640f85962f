package io.fluxops.operator.scaling;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fluxops.autoscale.Decision;
import io.fluxops.autoscale.QueueDepthScaler;
import io.fluxops.autoscale.Reading;
import io.fluxops.autoscale.Replicas;
import io.fluxops.autoscale.ScalerState;
import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.operator.api.AutoscalingSpec;
import io.fluxops.operator.api.FluxDeployment;
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
 * kept here and persisted in {@code status.autoscalerState}, so a restarted operator keeps its
 * stabilization windows.
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
   * Decides the replicas of an autoscaled FluxDeployment from its latest queue reading.
   *
   * @param reading the latest reading, empty when none arrived yet
   * @param deployment the inference Deployment; without one there is no size to scale from
   * @return the decision, or empty when the FluxDeployment is not autoscaled or not created yet
   */
  public Optional<Decision> decide(
      FluxDeployment fd,
      ValidatedSpec spec,
      Optional<QueueReading> reading,
      Optional<Deployment> deployment) {
    ResourceID id = ResourceID.fromResource(fd);
    if (!spec.autoscaled() || fd.getSpec().isPaused()) {
      forget(id);
      return Optional.empty();
    }
    if (deployment.isEmpty()) {
      return Optional.empty();
    }
    QueueDepthScaler scaler = new QueueDepthScaler(policy(spec.spec().getAutoscaling()), clock);
    ScalerState state = states.computeIfAbsent(id, key -> restore(fd));
    Reading input =
        reading.map(QueueReading::toReading).orElse(Reading.failed("no queue reading yet"));
    Decision decision = scaler.decide(state, input, replicas(deployment.get()));
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

  static ScalingPolicy policy(AutoscalingSpec spec) {
    return new ScalingPolicy(
        spec.getMinReplicas(),
        spec.getMaxReplicas(),
        spec.getTargetQueueDepth(),
        Duration.ofSeconds(spec.getScaleUpStabilizationSeconds()),
        Duration.ofSeconds(spec.getScaleDownStabilizationSeconds()));
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

  /** The memory a previous operator persisted; a fresh one if there is none or it is unreadable. */
  private static ScalerState restore(FluxDeployment fd) {
    String saved = fd.getStatus() == null ? null : fd.getStatus().getAutoscalerState();
    if (saved == null || saved.isBlank()) {
      return ScalerState.initial();
    }
    try {
      return ScalerState.parseLegacy(saved);
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "Ignoring unreadable status.autoscalerState of {}/{}: {}",
          fd.getMetadata().getNamespace(),
          fd.getMetadata().getName(),
          e.getMessage());
      return ScalerState.initial();
    }
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
