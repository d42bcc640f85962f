package io.fluxops.operator.metrics;

import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.cost.CostWindow;
import io.fluxops.operator.cost.Prices;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Per-FluxDeployment images and cost, from the sidecars' counts: images generated and reported,
 * images per second, cost per image beside the managed API's price, the GPU hour price and the
 * projected monthly saving. Labels: namespace, name, model, gpu. A value not known yet is NaN.
 */
public final class UsageMetrics {

  static final String IMAGES = "fluxops.deployment.images";
  static final String IMAGES_REPORTED = "fluxops.deployment.images.reported";
  static final String IMAGES_PENDING = "fluxops.deployment.images.pending";
  static final String MONTH_TO_DATE = "fluxops.deployment.images.month.to.date";
  static final String IMAGES_PER_SECOND = "fluxops.deployment.images.per.second";
  static final String COST_PER_IMAGE = "fluxops.deployment.cost.per.image.usd";
  static final String API_PRICE = "fluxops.deployment.api.price.per.image.usd";
  static final String GPU_PRICE = "fluxops.deployment.gpu.hourly.price.usd";
  static final String SAVING = "fluxops.deployment.projected.monthly.saving.usd";
  static final String READ_FAILURES = "fluxops.usage.read.failures";

  /** What one poll found for a FluxDeployment. */
  public record Values(
      long accepted,
      long reported,
      long pending,
      long monthToDate,
      Prices prices,
      Optional<CostWindow.Figures> figures) {}

  private static final class Entry {
    final Tags tags;
    volatile Values values;
    final List<Meter> meters = new ArrayList<>();
    Counter failures;

    Entry(Tags tags) {
      this.tags = tags;
    }
  }

  private final MeterRegistry registry;
  private final Map<ResourceID, Entry> entries = new ConcurrentHashMap<>();

  public UsageMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Publishes a poll's values. */
  public void record(FluxDeployment fd, Values values) {
    entry(fd).values = values;
  }

  /** Counts sidecars that could not be read; their last counts are kept, not zeroed. */
  public void readFailed(FluxDeployment fd, int pods) {
    entry(fd).failures.increment(pods);
  }

  /** Removes the meters of a FluxDeployment that is gone or no longer metered. */
  public void forget(ResourceID id) {
    Entry entry = entries.remove(id);
    if (entry != null) {
      entry.meters.forEach(registry::remove);
    }
  }

  private Entry entry(FluxDeployment fd) {
    ResourceID id = ResourceID.fromResource(fd);
    Tags tags = FleetMetrics.tags(fd);
    Entry entry = entries.get(id);
    if (entry == null || !entry.tags.equals(tags)) {
      forget(id);
      entry = register(tags);
      entries.put(id, entry);
    }
    return entry;
  }

  private Entry register(Tags tags) {
    Entry e = new Entry(tags);
    e.meters.add(
        FunctionCounter.builder(IMAGES, e, x -> value(x, v -> v.accepted()))
            .description("Images the sidecars accepted, summed over pods; never goes back")
            .tags(tags)
            .register(registry));
    e.meters.add(
        FunctionCounter.builder(IMAGES_REPORTED, e, x -> value(x, v -> v.reported()))
            .description("Images BFL confirmed, summed over pods")
            .tags(tags)
            .register(registry));
    gauge(e, IMAGES_PENDING, "Images accepted and not yet reported", v -> v.pending());
    gauge(e, MONTH_TO_DATE, "Images this calendar month (UTC)", v -> v.monthToDate());
    gauge(
        e,
        IMAGES_PER_SECOND,
        "Images per second over the trailing hour",
        v -> v.figures().map(CostWindow.Figures::imagesPerSecond).orElse(Double.NaN));
    gauge(
        e,
        COST_PER_IMAGE,
        "GPU spend divided by images over the trailing hour, in USD",
        v -> v.figures().flatMap(CostWindow.Figures::costPerImageUsd).orElse(Double.NaN));
    gauge(
        e,
        API_PRICE,
        "The managed API's price per image, in USD",
        v -> v.prices().apiPricePerImageUsd());
    gauge(e, GPU_PRICE, "What one GPU costs per hour, in USD", v -> v.prices().gpuHourlyPriceUsd());
    gauge(
        e,
        SAVING,
        "The trailing hour's images at the managed API's price minus the GPUs, over 30 days",
        v -> v.figures().map(CostWindow.Figures::projectedMonthlySavingUsd).orElse(Double.NaN));
    e.failures =
        Counter.builder(READ_FAILURES)
            .description("Sidecar /status reads that failed or timed out")
            .tags(tags)
            .register(registry);
    e.meters.add(e.failures);
    return e;
  }

  private void gauge(Entry e, String name, String description, ToDoubleFunction<Values> f) {
    e.meters.add(
        Gauge.builder(name, e, x -> value(x, f))
            .description(description)
            .tags(e.tags)
            .register(registry));
  }

  private static double value(Entry e, ToDoubleFunction<Values> f) {
    Values v = e.values;
    return v == null ? Double.NaN : f.applyAsDouble(v);
  }
}
