package io.fluxops.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fluxops.operator.status.Conditions.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-21T10:05:00.700Z");

  @Test
  void keepsTransitionTimeWhenStatusIsUnchanged() {
    List<Condition> first =
        Conditions.from(List.of(), 1, T0).set(ConditionType.READY, Status.FALSE, "A", "a").toList();

    List<Condition> second =
        Conditions.from(first, 2, T1).set(ConditionType.READY, Status.FALSE, "B", "b").toList();

    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-11-21T10:00:00Z");
    assertThat(second.get(0).getReason()).isEqualTo("B");
    assertThat(second.get(0).getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void movesTransitionTimeWhenStatusChanges() {
    List<Condition> first =
        Conditions.from(List.of(), 1, T0).set(ConditionType.READY, Status.FALSE, "A", "a").toList();

    List<Condition> second =
        Conditions.from(first, 1, T1).set(ConditionType.READY, Status.TRUE, "A", "a").toList();

    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-11-21T10:05:00Z");
  }

  @Test
  void settingTheSameConditionTwiceGivesAnEqualList() {
    List<Condition> first =
        Conditions.from(List.of(), 1, T0).set(ConditionType.READY, Status.TRUE, "A", "a").toList();

    assertThat(
            Conditions.from(first, 1, T1).set(ConditionType.READY, Status.TRUE, "A", "a").toList())
        .isEqualTo(first);
  }

  @Test
  void listsFluxOpsConditionsInFixedOrderAndKeepsOthers() {
    Condition foreign = new ConditionBuilder().withType("Custom").withStatus("True").build();

    List<Condition> conditions =
        Conditions.from(List.of(foreign), 1, T0)
            .set(ConditionType.GPU_AVAILABLE, Status.TRUE, "A", "a")
            .set(ConditionType.READY, Status.TRUE, "A", "a")
            .toList();

    assertThat(conditions)
        .extracting(Condition::getType)
        .containsExactly("Ready", "GPUAvailable", "Custom");
  }
}
