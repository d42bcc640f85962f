package io.fluxops.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sets conditions on a copy of a status' condition list. {@code lastTransitionTime} moves only when
 * a condition's status changes, so watching tools see real transitions, and a reconcile that
 * changes nothing produces an equal list (and so no write).
 */
public final class Conditions {

  private final List<Condition> conditions;
  private final long generation;
  private final Instant now;

  private Conditions(List<Condition> existing, long generation, Instant now) {
    this.conditions = new ArrayList<>(existing == null ? List.of() : existing);
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  /** Starts from the current conditions of an object at {@code generation}. */
  public static Conditions from(List<Condition> existing, long generation, Instant now) {
    return new Conditions(existing, generation, now);
  }

  public Conditions set(ConditionType type, Status status, String reason, String message) {
    Optional<Condition> previous = find(conditions, type);
    String transition =
        previous
            .filter(p -> status.value().equals(p.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now.toString());
    Condition next =
        new ConditionBuilder()
            .withType(type.type())
            .withStatus(status.value())
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build();
    conditions.removeIf(c -> type.type().equals(c.getType()));
    conditions.add(next);
    return this;
  }

  /** Drops a condition that no longer applies, e.g. Autoscaling once autoscaling is removed. */
  public Conditions remove(ConditionType type) {
    conditions.removeIf(c -> type.type().equals(c.getType()));
    return this;
  }

  /** The conditions, FluxOps' types first in their fixed order, any others after. */
  public List<Condition> toList() {
    List<Condition> sorted = new ArrayList<>(conditions);
    sorted.sort(Comparator.comparingInt(Conditions::rank));
    return sorted;
  }

  /** The condition of a type in a list, if present. */
  public static Optional<Condition> find(List<Condition> conditions, ConditionType type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.type().equals(c.getType())).findFirst();
  }

  /** Whether the list has the condition with the given status. */
  public static boolean is(List<Condition> conditions, ConditionType type, Status status) {
    return find(conditions, type)
        .map(c -> Objects.equals(c.getStatus(), status.value()))
        .orElse(false);
  }

  private static int rank(Condition c) {
    for (ConditionType type : ConditionType.values()) {
      if (type.type().equals(c.getType())) {
        return type.ordinal();
      }
    }
    return ConditionType.values().length;
  }

  /** A condition's status. */
  public enum Status {
    TRUE("True"),
    FALSE("False"),
    UNKNOWN("Unknown");

    private final String value;

    Status(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }

    public static Status of(boolean value) {
      return value ? TRUE : FALSE;
    }
  }
}
