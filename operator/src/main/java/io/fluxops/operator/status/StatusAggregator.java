package io.fluxops.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.status.Conditions.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a FluxDeployment's whole status once per reconcile. Each part of the operator (the
 * workload, the autoscaler, metering, the model cache) contributes its fields and conditions to the
 * one aggregator; {@link #build()} gives the status to write. It starts from a copy of the current
 * status, so what no part touches this time stands, and {@code lastTransitionTime} moves only when
 * a condition's status changes (see {@link Conditions}).
 *
 * <p>Whether anything changed is decided on the serialised trees ({@link #unchanged}), so a field
 * added to the status is compared without anyone writing an {@code equals} for it; the patch is
 * built from a fresh object that carries only metadata and status ({@link #forStatusPatch}).
 */
public final class StatusAggregator {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final FluxDeploymentStatus previous;
  private final FluxDeploymentStatus status;
  private final Conditions conditions;
  private final long generation;

  private StatusAggregator(FluxDeploymentStatus current, long generation, Instant now) {
    this.previous = current == null ? new FluxDeploymentStatus() : current;
    this.status = SERIALIZATION.clone(previous);
    this.generation = generation;
    this.conditions = Conditions.from(previous.getConditions(), generation, now);
  }

  /** An aggregator for {@code fd}'s status at {@code now}. */
  public static StatusAggregator of(FluxDeployment fd, Instant now) {
    Long generation = fd.getMetadata().getGeneration();
    return new StatusAggregator(fd.getStatus(), generation == null ? 0 : generation, now);
  }

  /** The status' fields other than the conditions, to set; {@link #build()} adds the rest. */
  public FluxDeploymentStatus fields() {
    return status;
  }

  /** The generation this status describes. */
  public long generation() {
    return generation;
  }

  /** Sets a condition; its {@code lastTransitionTime} moves only if its status changed. */
  public StatusAggregator condition(
      ConditionType type, Status conditionStatus, String reason, String message) {
    conditions.set(type, conditionStatus, reason, message);
    return this;
  }

  /** Drops a condition that no longer applies, e.g. Autoscaling once autoscaling is removed. */
  public StatusAggregator remove(ConditionType type) {
    conditions.remove(type);
    return this;
  }

  /** A condition as the status had it before this reconcile. */
  public Optional<Condition> previous(ConditionType type) {
    return Conditions.find(previous.getConditions(), type);
  }

  /** The status to write: every part's fields and conditions, at this generation. */
  public FluxDeploymentStatus build() {
    status.setObservedGeneration(generation);
    status.setConditions(conditions.toList());
    return status;
  }

  /** Whether two statuses serialise to the same tree (absent and null fields alike). */
  public static boolean unchanged(FluxDeploymentStatus current, FluxDeploymentStatus next) {
    return Objects.equals(tree(current), tree(next));
  }

  /**
   * The object to patch the status subresource with: the FluxDeployment's name and namespace and
   * the new status, nothing else, so the patch can never carry a change to the spec or metadata.
   */
  public static FluxDeployment forStatusPatch(FluxDeployment fd, FluxDeploymentStatus status) {
    FluxDeployment patch = new FluxDeployment();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(fd.getMetadata().getName())
            .withNamespace(fd.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }

  /**
   * What {@code next} changes in {@code current}, as a JSON patch: for the log, when a reconcile
   * writes the status.
   */
  public static String changes(FluxDeploymentStatus current, FluxDeploymentStatus next) {
    JsonNode from = tree(current);
    JsonNode to = tree(next);
    return JsonDiff.asJson(
            from == null ? JsonNodeFactory.instance.objectNode() : from,
            to == null ? JsonNodeFactory.instance.objectNode() : to)
        .toString();
  }

  /**
   * The status as a write carries it. The client leaves empty lists out of every patch it computes
   * (fabric8's PatchUtils), so the cluster never holds one: a status whose only difference is an
   * empty list is the same status, and writing it would send an empty patch on every reconcile.
   */
  private static JsonNode tree(FluxDeploymentStatus status) {
    if (status == null) {
      return null;
    }
    ObjectNode tree = SERIALIZATION.convertValue(status, ObjectNode.class);
    withoutEmptyLists(tree);
    return tree;
  }

  private static void withoutEmptyLists(ObjectNode node) {
    List<String> empty = new ArrayList<>();
    node.fields()
        .forEachRemaining(
            field -> {
              JsonNode value = field.getValue();
              if (value.isArray() && value.isEmpty()) {
                empty.add(field.getKey());
              } else if (value instanceof ObjectNode object) {
                withoutEmptyLists(object);
              }
            });
    node.remove(empty);
  }
}
