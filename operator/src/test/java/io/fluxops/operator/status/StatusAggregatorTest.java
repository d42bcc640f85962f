package io.fluxops.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.operator.api.AutoscalerStatus;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentSpec;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.api.UsageStatus;
import io.fluxops.operator.status.Conditions.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

  private static FluxDeployment fluxDeployment(long generation) {
    FluxDeployment fd = new FluxDeployment();
    fd.setMetadata(
        new ObjectMetaBuilder()
            .withName("dev-4090")
            .withNamespace("flux")
            .withGeneration(generation)
            .withResourceVersion("42")
            .withLabels(Map.of("team", "images"))
            .build());
    fd.setSpec(new FluxDeploymentSpec());
    return fd;
  }

  @Test
  void everyPartWritesIntoOneStatusAtTheObjectsGeneration() {
    FluxDeployment fd = fluxDeployment(3);
    StatusAggregator status = StatusAggregator.of(fd, T0);

    status.fields().setReplicas(2);
    status.condition(ConditionType.READY, Status.TRUE, "AllReplicasReady", "2/2 ready");
    status.condition(ConditionType.METERING, Status.TRUE, "Reporting", "reports succeed");
    FluxDeploymentStatus built = status.build();

    assertThat(built.getObservedGeneration()).isEqualTo(3);
    assertThat(built.getReplicas()).isEqualTo(2);
    assertThat(built.getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus() + "@" + c.getObservedGeneration())
        .containsExactly("Ready=True@3", "Metering=True@3");
  }

  @Test
  void aReconcileThatChangesNothingBuildsAStatusThatCountsAsUnchanged() {
    FluxDeployment fd = fluxDeployment(1);
    fd.setStatus(
        StatusAggregator.of(fd, T0)
            .condition(ConditionType.READY, Status.TRUE, "AllReplicasReady", "1/1 ready")
            .build());

    FluxDeploymentStatus again =
        StatusAggregator.of(fd, T0.plusSeconds(600))
            .condition(ConditionType.READY, Status.TRUE, "AllReplicasReady", "1/1 ready")
            .build();

    assertThat(again.getConditions().get(0).getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(StatusAggregator.unchanged(fd.getStatus(), again)).isTrue();
  }

  @Test
  void emptyListsTheApiServerDoesNotKeepCountAsUnchanged() {
    // The status as a reconcile builds it: the autoscaler's memory with nothing in its lists.
    FluxDeploymentStatus built = new FluxDeploymentStatus();
    AutoscalerStatus autoscaler = new AutoscalerStatus();
    AutoscalerStatus.Memory memory = new AutoscalerStatus.Memory();
    memory.setRecommendations(List.of());
    memory.setReadings(List.of());
    memory.setArrivals(List.of());
    autoscaler.setMemory(memory);
    built.setAutoscaler(autoscaler);
    // The same status as the cluster holds it: the client's patches leave empty lists out.
    FluxDeploymentStatus stored =
        SERIALIZATION.unmarshal("{\"autoscaler\": {\"memory\": {}}}", FluxDeploymentStatus.class);

    assertThat(StatusAggregator.unchanged(stored, built)).isTrue();
    memory.setReadings(List.of(new AutoscalerStatus.QueueSample()));
    assertThat(StatusAggregator.unchanged(stored, built)).isFalse();
  }

  @Test
  void aChangeInANestedFieldIsSeenWithoutAnEqualsForIt() {
    FluxDeployment fd = fluxDeployment(1);
    fd.setStatus(StatusAggregator.of(fd, T0).build());
    StatusAggregator next = StatusAggregator.of(fd, T0);
    UsageStatus usage = new UsageStatus();
    usage.setAcceptedTotal(7L);
    next.fields().setUsage(usage);

    assertThat(StatusAggregator.unchanged(fd.getStatus(), next.build())).isFalse();
    assertThat(StatusAggregator.unchanged(null, new FluxDeploymentStatus())).isFalse();
  }

  @Test
  void whatNoPartTouchesStandsAndThePreviousConditionsStayReadable() {
    FluxDeployment fd = fluxDeployment(2);
    fd.setStatus(
        StatusAggregator.of(fd, T0)
            .condition(ConditionType.METERING, Status.FALSE, "KeyRefused", "BFL refused the key")
            .build());
    fd.getStatus().setQueueDepth(5L);

    StatusAggregator status = StatusAggregator.of(fd, T0.plusSeconds(5));
    status.condition(ConditionType.READY, Status.TRUE, "AllReplicasReady", "1/1 ready");

    assertThat(status.previous(ConditionType.METERING))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("KeyRefused"));
    FluxDeploymentStatus built = status.build();
    assertThat(built.getQueueDepth()).isEqualTo(5L);
    assertThat(Conditions.find(built.getConditions(), ConditionType.METERING)).isPresent();
  }

  @Test
  void thePatchCarriesOnlyTheNameNamespaceAndStatus() {
    FluxDeployment fd = fluxDeployment(4);
    FluxDeploymentStatus status = StatusAggregator.of(fd, T0).build();

    FluxDeployment patch = StatusAggregator.forStatusPatch(fd, status);

    assertThat(patch.getSpec()).isNull();
    assertThat(patch.getMetadata().getName()).isEqualTo("dev-4090");
    assertThat(patch.getMetadata().getNamespace()).isEqualTo("flux");
    assertThat(patch.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(patch.getMetadata().getResourceVersion()).isNull();
    assertThat(patch.getStatus()).isSameAs(status);
  }
}
