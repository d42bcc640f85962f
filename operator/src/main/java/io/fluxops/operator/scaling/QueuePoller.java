package io.fluxops.operator.scaling;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.SpecValidator;
import io.fluxops.operator.workload.ValidatedSpec;
import io.fluxops.queue.PodScraper;
import io.fluxops.queue.QueueReading;
import io.fluxops.queue.QueueSource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource.ResourceFetcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each autoscaled FluxDeployment's queue at its {@code pollIntervalSeconds}. It runs on the
 * polling event source's threads, never on a reconcile thread; a reading that differs from the last
 * one triggers a reconcile, so an idle fleet costs reads but no reconciles and no writes.
 */
final class QueuePoller implements ResourceFetcher<QueueReading, FluxDeployment>, AutoCloseable {

  /** How often a FluxDeployment without autoscaling is looked at again, in case it gains it. */
  static final Duration NOT_AUTOSCALED_RECHECK = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(QueuePoller.class);
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** A source with the configuration it was built from, so a spec change rebuilds it. */
  private record Entry(String configuration, QueueSource source) {}

  private final Map<ResourceID, Entry> sources = new ConcurrentHashMap<>();
  private final Map<ResourceID, Instant> lastPoll = new ConcurrentHashMap<>();
  private final Function<FluxDeployment, Collection<Pod>> pods;
  private final PodScraper scraper;
  private final ScalingMetrics metrics;
  private final Clock clock;

  QueuePoller(
      Function<FluxDeployment, Collection<Pod>> pods,
      PodScraper scraper,
      ScalingMetrics metrics,
      Clock clock) {
    this.pods = pods;
    this.scraper = scraper;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Set<QueueReading> fetchResources(FluxDeployment fd) {
    ResourceID id = ResourceID.fromResource(fd);
    Optional<ValidatedSpec> spec = autoscaled(fd);
    if (spec.isEmpty()) {
      forget(id);
      return Set.of();
    }
    recordLag(id, spec.get());
    Entry entry = sources.compute(id, (key, old) -> current(old, spec.get(), fd));
    QueueReading reading = entry.source().read();
    metrics.recordRead(fd, spec.get(), reading);
    return Set.of(reading);
  }

  @Override
  public Optional<Duration> fetchDelay(Set<QueueReading> last, FluxDeployment fd) {
    return Optional.of(
        autoscaled(fd)
            .map(s -> Duration.ofSeconds(s.spec().getAutoscaling().getPollIntervalSeconds()))
            .orElse(NOT_AUTOSCALED_RECHECK));
  }

  /** Closes the source of a FluxDeployment that is gone or no longer autoscaled. */
  void forget(ResourceID id) {
    lastPoll.remove(id);
    Entry entry = sources.remove(id);
    if (entry != null) {
      closeQuietly(entry.source());
    }
  }

  @Override
  public void close() {
    sources.keySet().forEach(this::forget);
  }

  /** The spec, when the FluxDeployment is valid, autoscaled and not paused. */
  static Optional<ValidatedSpec> autoscaled(FluxDeployment fd) {
    if (fd.getSpec() == null || fd.getSpec().isPaused() || fd.getSpec().getAutoscaling() == null) {
      return Optional.empty();
    }
    return SpecValidator.validate(fd.getSpec()) instanceof SpecValidator.Valid valid
        ? Optional.of(valid.spec())
        : Optional.empty();
  }

  private Entry current(Entry old, ValidatedSpec spec, FluxDeployment fd) {
    String configuration =
        SERIALIZATION.asJson(spec.spec().getAutoscaling().getQueue())
            + "|"
            + spec.servingPort()
            + "|"
            + spec.podsQueuePort();
    if (old != null && old.configuration().equals(configuration)) {
      return old;
    }
    if (old != null) {
      closeQuietly(old.source());
    }
    return new Entry(configuration, QueueSourceFactory.create(spec, () -> pods.apply(fd), scraper));
  }

  /** How late this poll is against the interval: the measure of an overloaded poll loop. */
  private void recordLag(ResourceID id, ValidatedSpec spec) {
    Instant now = clock.instant();
    Instant previous = lastPoll.put(id, now);
    if (previous != null) {
      Duration interval = Duration.ofSeconds(spec.spec().getAutoscaling().getPollIntervalSeconds());
      Duration lag = Duration.between(previous.plus(interval), now);
      metrics.recordPollLag(lag.isNegative() ? Duration.ZERO : lag);
    }
  }

  private static void closeQuietly(QueueSource source) {
    try {
      source.close();
    } catch (Exception e) {
      LOG.debug("Closing a queue source failed", e);
    }
  }
}
