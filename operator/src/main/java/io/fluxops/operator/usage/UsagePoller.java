package io.fluxops.operator.usage;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fluxops.autoscale.ImageCount;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.cost.CostWindow;
import io.fluxops.operator.cost.Prices;
import io.fluxops.operator.metrics.UsageMetrics;
import io.fluxops.operator.workload.PodLayout;
import io.fluxops.operator.workload.PodPorts;
import io.fluxops.operator.workload.SpecValidator;
import io.fluxops.operator.workload.ValidatedSpec;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource.ResourceFetcher;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the metering sidecars of each licensed FluxDeployment every {@code
 * FLUXOPS_USAGE_POLL_SECONDS}, on the polling event source's threads (never a reconcile thread),
 * and turns their counts into usage and cost. A reading that differs from the last one triggers a
 * reconcile that writes it to status.
 */
final class UsagePoller implements ResourceFetcher<UsageReading, FluxDeployment> {

  /** How often a FluxDeployment without a sidecar is looked at again, in case it gains one. */
  static final Duration NOT_METERED_RECHECK = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(UsagePoller.class);

  /** What is kept per FluxDeployment between polls. */
  private static final class State {
    final UsageLedger ledger = new UsageLedger();
    final CostWindow window;
    UsageReading last;
    int unansweredPolls;

    State(CostWindow window) {
      this.window = window;
    }
  }

  private final Map<ResourceID, State> states = new ConcurrentHashMap<>();
  private final Map<ResourceID, Long> counts = new ConcurrentHashMap<>();
  private final Function<FluxDeployment, Collection<Pod>> pods;
  private final SidecarClient client;
  private final UsageMetrics metrics;
  private final OperatorConfig config;
  private final Clock clock;
  private final int port;

  UsagePoller(
      Function<FluxDeployment, Collection<Pod>> pods,
      SidecarClient client,
      UsageMetrics metrics,
      OperatorConfig config,
      Clock clock,
      int port) {
    this.pods = pods;
    this.client = client;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
    this.port = port;
  }

  @Override
  public Set<UsageReading> fetchResources(FluxDeployment fd) {
    ResourceID id = ResourceID.fromResource(fd);
    Optional<ValidatedSpec> spec = metered(fd);
    if (spec.isEmpty()) {
      forget(id);
      return Set.of();
    }
    Collection<Pod> current = pods.apply(fd);
    Map<String, CompletableFuture<SidecarStatus>> reads = new HashMap<>();
    for (Pod pod : current) {
      if (readable(pod)) {
        reads.put(
            pod.getMetadata().getName(),
            client.status(
                pod.getStatus().getPodIP(),
                PodPorts.named(pod, PodLayout.METERING_PORT_NAME).orElse(port)));
      }
    }
    Map<String, SidecarStatus> read = new HashMap<>();
    int failed = 0;
    for (var e : reads.entrySet()) {
      try {
        read.put(
            e.getKey(),
            e.getValue().get(SidecarClient.TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return Set.of();
      } catch (Exception ex) {
        e.getValue().cancel(true);
        failed++;
        LOG.debug("Reading the sidecar of pod {} failed: {}", e.getKey(), ex.toString());
      }
    }
    State state = states.computeIfAbsent(id, key -> new State(new CostWindow(clock)));
    synchronized (state) {
      Set<String> existing =
          current.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
      state.ledger.update(existing, read);
      if (!read.isEmpty() || failed == 0) {
        state.ledger.restoreFloor(fd.getStatus() == null ? null : fd.getStatus().getUsage());
      }
      MeteringHealth health = health(state, current.isEmpty(), read, failed);
      return publish(
          fd,
          spec.get(),
          state,
          running(current) * spec.get().spec().getGpu().getCount(),
          failed,
          health);
    }
  }

  /**
   * The Metering finding of this poll. A poll in which some sidecars did not answer judges by those
   * that did; only {@link MeteringHealth#UNANSWERED_POLLS} polls in a row without any answer make
   * it Unknown, so one slow read on an idle FluxDeployment writes nothing.
   */
  private static MeteringHealth health(
      State state, boolean noPods, Map<String, SidecarStatus> read, int failed) {
    MeteringHealth last = state.last == null ? null : state.last.metering();
    if (noPods) {
      state.unansweredPolls = 0;
      return MeteringHealth.NO_PODS;
    }
    Optional<MeteringHealth> found = MeteringHealth.of(read);
    if (found.isPresent()) {
      state.unansweredPolls = 0;
      return found.get();
    }
    if (failed == 0) {
      // Pods, but none ready to read yet: nothing new to say.
      return last;
    }
    state.unansweredPolls++;
    return state.unansweredPolls >= MeteringHealth.UNANSWERED_POLLS
        ? MeteringHealth.unreachable()
        : last;
  }

  private Set<UsageReading> publish(
      FluxDeployment fd,
      ValidatedSpec spec,
      State state,
      int gpus,
      int failed,
      MeteringHealth health) {
    UsageLedger ledger = state.ledger;
    Prices prices = Prices.of(spec.spec(), config);
    if (ledger.known()) {
      counts.put(ResourceID.fromResource(fd), ledger.accepted());
    }
    if (!ledger.known()) {
      metrics.record(fd, new UsageMetrics.Values(0, 0, 0, 0, prices, Optional.empty()));
      if (failed > 0) {
        metrics.readFailed(fd, failed);
      }
      return Set.of();
    }
    state.window.record(ledger.accepted(), gpus);
    var figures = state.window.figures(prices.gpuHourlyPriceUsd(), prices.apiPricePerImageUsd());
    long monthToDate = ledger.monthToDate(YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC)));
    metrics.record(
        fd,
        new UsageMetrics.Values(
            ledger.accepted(), ledger.reported(), ledger.pending(), monthToDate, prices, figures));
    if (failed > 0) {
      metrics.readFailed(fd, failed);
    }
    // The status keeps the cost per image of the last poll that counted images: the window's
    // figure keeps moving while no image is made, and an idle FluxDeployment must cost no writes.
    // The metric follows the window.
    if (state.last == null && fd.getStatus() != null) {
      state.last = UsageReading.from(fd.getStatus()).orElse(null);
    }
    Double perImage =
        state.last != null && state.last.acceptedTotal() == ledger.accepted()
            ? state.last.perImageUsd()
            : UsageReading.round(figures.flatMap(f -> f.costPerImageUsd()).orElse(null));
    state.last =
        new UsageReading(
            ledger.accepted(),
            ledger.reported(),
            ledger.pending(),
            monthToDate,
            ledger.lastReportTime().map(Object::toString).orElse(null),
            perImage,
            prices.apiPricePerImageUsd(),
            health);
    return Set.of(state.last);
  }

  @Override
  public Optional<Duration> fetchDelay(Set<UsageReading> last, FluxDeployment fd) {
    return Optional.of(metered(fd).isPresent() ? config.usagePollInterval() : NOT_METERED_RECHECK);
  }

  void forget(ResourceID id) {
    states.remove(id);
    counts.remove(id);
    metrics.forget(id);
  }

  /**
   * The images {@code fd}'s pods have finished, as the last poll summed them (never decreasing),
   * for the autoscaler; or why there is no such count.
   */
  ImageCount imageCount(FluxDeployment fd) {
    Long total = counts.get(ResourceID.fromResource(fd));
    if (total != null) {
      return ImageCount.of(total);
    }
    return metered(fd).isPresent()
        ? ImageCount.missing("no metering sidecar has answered yet")
        : ImageCount.missing(
            "the model is not metered, so its pods run no sidecar to count images");
  }

  /** The spec, when the FluxDeployment is valid and its model metered. */
  static Optional<ValidatedSpec> metered(FluxDeployment fd) {
    if (fd.getSpec() == null) {
      return Optional.empty();
    }
    return SpecValidator.validate(fd.getSpec()) instanceof SpecValidator.Valid valid
            && valid.spec().metered()
        ? Optional.of(valid.spec())
        : Optional.empty();
  }

  /**
   * A pod with an address and a metering sidecar that is ready, or whose sidecar runs although the
   * pod is not ready: a sidecar whose journal fails takes its pod out of Ready, and that is the
   * moment its {@code /status} matters most.
   */
  static boolean readable(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getPodIP() == null || pod.getSpec() == null) {
      return false;
    }
    boolean ready =
        pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return hasSidecar(pod) && (ready || sidecarRunning(pod));
  }

  private static boolean sidecarRunning(Pod pod) {
    return Stream.concat(
            Optional.ofNullable(pod.getStatus().getInitContainerStatuses())
                .orElse(List.of())
                .stream(),
            Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream())
        .anyMatch(
            c ->
                PodLayout.METERING_CONTAINER.equals(c.getName())
                    && c.getState() != null
                    && c.getState().getRunning() != null);
  }

  private static boolean hasSidecar(Pod pod) {
    List<Container> init = pod.getSpec().getInitContainers();
    List<Container> main = pod.getSpec().getContainers();
    return Optional.ofNullable(init).orElse(List.of()).stream()
            .anyMatch(c -> PodLayout.METERING_CONTAINER.equals(c.getName()))
        || Optional.ofNullable(main).orElse(List.of()).stream()
            .anyMatch(c -> PodLayout.METERING_CONTAINER.equals(c.getName()));
  }

  /** Pods that hold their GPUs: running ones. A Pending pod has none yet. */
  private static int running(Collection<Pod> pods) {
    return (int)
        pods.stream()
            .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
            .count();
  }
}
