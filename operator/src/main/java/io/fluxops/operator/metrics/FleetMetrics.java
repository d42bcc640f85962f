package io.fluxops.operator.metrics;

import io.fabric8.kubernetes.api.model.Condition;
import io.fluxops.operator.api.AutoscalingSpec;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.status.ConditionType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Per-FluxDeployment gauges, read from the status the operator writes: replicas desired, created
 * and ready, GPUs requested, and each condition in kube-state-metrics' one-hot shape. Labels are
 * bounded: namespace, name, model, gpu (plus condition type and status).
 */
public final class FleetMetrics {

  static final String DESIRED = "fluxops.deployment.replicas.desired";
  static final String REPLICAS = "fluxops.deployment.replicas";
  static final String READY = "fluxops.deployment.replicas.ready";
  static final String GPUS = "fluxops.deployment.gpus";
  static final String CONDITION = "fluxops.deployment.condition";
  static final String MAX_REPLICAS = "fluxops.autoscaler.replicas.max";
  static final String TARGET_QUEUE = "fluxops.autoscaler.target.queue.depth";

  private static final List<String> CONDITION_STATUSES = List.of("True", "False", "Unknown");

  /** The values behind one FluxDeployment's gauges, and the labels they were registered with. */
  private static final class Entry {
    final Tags tags;
    final AtomicReference<FluxDeploymentStatus> status = new AtomicReference<>();
    final AtomicInteger gpusPerReplica = new AtomicInteger();
    final AtomicReference<AutoscalingSpec> autoscaling = new AtomicReference<>();
    final List<Meter> meters = new ArrayList<>();

    Entry(Tags tags) {
      this.tags = tags;
    }
  }

  private final MeterRegistry registry;
  private final Map<ResourceID, Entry> entries = new ConcurrentHashMap<>();

  public FleetMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Publishes the status the operator just computed for a FluxDeployment. */
  public void update(FluxDeployment fd, FluxDeploymentStatus status) {
    ResourceID id = ResourceID.fromResource(fd);
    Tags tags = tags(fd);
    Entry entry = entries.get(id);
    if (entry == null || !entry.tags.equals(tags)) {
      forget(id);
      entry = register(tags);
      entries.put(id, entry);
    }
    entry.status.set(status);
    entry.gpusPerReplica.set(
        fd.getSpec() == null || fd.getSpec().getGpu() == null
            ? 0
            : fd.getSpec().getGpu().getCount());
    entry.autoscaling.set(fd.getSpec() == null ? null : fd.getSpec().getAutoscaling());
  }

  /** Removes the gauges of a deleted FluxDeployment. */
  public void forget(ResourceID id) {
    Entry entry = entries.remove(id);
    if (entry != null) {
      entry.meters.forEach(registry::remove);
    }
  }

  private Entry register(Tags tags) {
    Entry entry = new Entry(tags);
    entry.meters.add(
        replicaGauge(
            DESIRED, "Replicas the operator asks for", entry, s -> s.getDesiredReplicas()));
    entry.meters.add(
        replicaGauge(REPLICAS, "Pods of the inference Deployment", entry, s -> s.getReplicas()));
    entry.meters.add(replicaGauge(READY, "Pods ready to serve", entry, s -> s.getReadyReplicas()));
    entry.meters.add(
        Gauge.builder(GPUS, entry, e -> gpus(e))
            .description("GPUs the pods request (replicas x gpu.count)")
            .tags(tags)
            .register(registry));
    entry.meters.add(
        Gauge.builder(MAX_REPLICAS, entry, e -> autoscaling(e, a -> a.getMaxReplicas()))
            .description("spec.autoscaling.maxReplicas (NaN without autoscaling)")
            .tags(tags)
            .register(registry));
    entry.meters.add(
        Gauge.builder(TARGET_QUEUE, entry, e -> autoscaling(e, a -> a.getTargetQueueDepth()))
            .description("spec.autoscaling.targetQueueDepth per replica (NaN without autoscaling)")
            .tags(tags)
            .register(registry));
    for (ConditionType type : ConditionType.values()) {
      for (String value : CONDITION_STATUSES) {
        entry.meters.add(
            Gauge.builder(CONDITION, entry, e -> conditionIs(e.status.get(), type, value))
                .description("1 when the condition has this status, else 0")
                .tags(tags.and("type", type.type(), "status", value.toLowerCase(Locale.ROOT)))
                .register(registry));
      }
    }
    return entry;
  }

  private Gauge replicaGauge(
      String name, String description, Entry entry, Function<FluxDeploymentStatus, Integer> value) {
    return Gauge.builder(
            name,
            entry,
            e -> {
              FluxDeploymentStatus status = e.status.get();
              Integer v = status == null ? null : value.apply(status);
              return v == null ? Double.NaN : v;
            })
        .description(description)
        .tags(entry.tags)
        .register(registry);
  }

  private static double autoscaling(Entry entry, Function<AutoscalingSpec, Number> value) {
    AutoscalingSpec spec = entry.autoscaling.get();
    Number v = spec == null ? null : value.apply(spec);
    return v == null ? Double.NaN : v.doubleValue();
  }

  private static double gpus(Entry entry) {
    FluxDeploymentStatus status = entry.status.get();
    return status == null || status.getReplicas() == null
        ? Double.NaN
        : (double) status.getReplicas() * entry.gpusPerReplica.get();
  }

  private static double conditionIs(FluxDeploymentStatus status, ConditionType type, String value) {
    if (status == null || status.getConditions() == null) {
      return 0;
    }
    for (Condition c : status.getConditions()) {
      if (type.type().equals(c.getType())) {
        return Objects.equals(value, c.getStatus()) ? 1 : 0;
      }
    }
    return 0;
  }

  static Tags tags(FluxDeployment fd) {
    var spec = fd.getSpec();
    return Tags.of(
        "namespace",
        fd.getMetadata().getNamespace(),
        "name",
        fd.getMetadata().getName(),
        "model",
        spec == null || spec.getModel() == null ? "" : spec.getModel(),
        "gpu",
        spec == null || spec.getGpu() == null || spec.getGpu().getType() == null
            ? ""
            : spec.getGpu().getType());
  }
}
