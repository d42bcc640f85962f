package io.fluxops.operator.scaling;

import io.fluxops.autoscale.Decision;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.ValidatedSpec;
import io.fluxops.queue.QueueReading;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The autoscaler's metrics, per FluxDeployment with bounded labels (namespace, name, model, gpu):
 * queue depth, desired replicas, scale events by direction, failed queue reads, and the poll loop's
 * lag.
 */
public final class ScalingMetrics {

  static final String QUEUE_DEPTH = "fluxops.queue.depth";
  static final String SCALE_EVENTS = "fluxops.autoscaler.scale.events";
  static final String READ_FAILURES = "fluxops.autoscaler.queue.read.failures";
  static final String POLL_LAG = "fluxops.autoscaler.poll.lag";

  /** The live values behind one FluxDeployment's gauges. */
  private static final class Values {
    final AtomicReference<Double> queueDepth = new AtomicReference<>(Double.NaN);
    final Set<Meter> meters = ConcurrentHashMap.newKeySet();
  }

  private final MeterRegistry registry;
  private final Map<ResourceID, Values> values = new ConcurrentHashMap<>();
  private final Timer pollLag;

  public ScalingMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.pollLag =
        Timer.builder(POLL_LAG)
            .description("How late queue polls run against their interval")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  void recordRead(FluxDeployment fd, ValidatedSpec spec, QueueReading reading) {
    Values v = valuesFor(fd, spec);
    v.queueDepth.set(reading.failed() ? Double.NaN : reading.depth());
    if (!reading.failures().isEmpty()) {
      counter(
              v,
              Counter.builder(READ_FAILURES)
                  .description("Queue reads that failed, fully or for some pods")
                  .tags(tags(fd, spec)))
          .increment();
    }
  }

  void recordDecision(FluxDeployment fd, ValidatedSpec spec, Decision decision) {
    if (decision.changesSize()) {
      Values v = valuesFor(fd, spec);
      counter(
              v,
              Counter.builder(SCALE_EVENTS)
                  .description("Replica changes the autoscaler made")
                  .tags(
                      tags(fd, spec)
                          .and("direction", decision.direction().name().toLowerCase(Locale.ROOT))))
          .increment();
    }
  }

  void recordPollLag(Duration lag) {
    pollLag.record(lag);
  }

  /** Drops the gauges of a FluxDeployment that is gone or no longer autoscaled. */
  void forget(ResourceID id) {
    Values v = values.remove(id);
    if (v != null) {
      v.meters.forEach(registry::remove);
    }
  }

  private Counter counter(Values v, Counter.Builder builder) {
    Counter counter = builder.register(registry);
    v.meters.add(counter);
    return counter;
  }

  private Values valuesFor(FluxDeployment fd, ValidatedSpec spec) {
    return values.computeIfAbsent(
        ResourceID.fromResource(fd),
        id -> {
          Values v = new Values();
          Tags tags = tags(fd, spec);
          v.meters.add(
              Gauge.builder(QUEUE_DEPTH, v.queueDepth, AtomicReference::get)
                  .description("Queued plus running generations the autoscaler last read")
                  .tags(tags)
                  .register(registry));
          return v;
        });
  }

  static Tags tags(FluxDeployment fd, ValidatedSpec spec) {
    return Tags.of(
        "namespace", fd.getMetadata().getNamespace(),
        "name", fd.getMetadata().getName(),
        "model", spec.model().slug(),
        "gpu", spec.gpuType().value());
  }
}
