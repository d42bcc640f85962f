package io.fluxops.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.status.Conditions;
import io.fluxops.operator.status.Conditions.Status;
import io.fluxops.operator.testing.Examples;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FleetMetrics metrics = new FleetMetrics(registry);

  @Test
  void publishesReplicasGpusAndConditionsPerFluxDeployment() {
    FluxDeployment fd = Examples.load("flux-1-kontext-dev-blackwell.yaml", "team-a");
    fd.getSpec().getGpu().setCount(2);
    FluxDeploymentStatus status = new FluxDeploymentStatus();
    status.setDesiredReplicas(3);
    status.setReplicas(3);
    status.setReadyReplicas(2);
    status.setConditions(
        Conditions.from(List.of(), 1, Instant.EPOCH)
            .set(ConditionType.READY, Status.FALSE, "ReplicasNotReady", "2/3 ready")
            .toList());

    metrics.update(fd, status);

    assertThat(gauge(FleetMetrics.READY)).isEqualTo(2.0);
    assertThat(gauge(FleetMetrics.DESIRED)).isEqualTo(3.0);
    assertThat(gauge(FleetMetrics.GPUS)).isEqualTo(6.0);
    assertThat(
            registry
                .get(FleetMetrics.CONDITION)
                .tags("type", "Ready", "status", "false")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get(FleetMetrics.CONDITION)
                .tags("type", "Ready", "status", "true")
                .gauge()
                .value())
        .isEqualTo(0.0);
    assertThat(registry.get(FleetMetrics.READY).gauge().getId().getTags())
        .extracting(t -> t.getKey() + "=" + t.getValue())
        .containsExactlyInAnyOrder(
            "namespace=team-a",
            "name=kontext-blackwell",
            "model=flux-1-kontext-dev",
            "gpu=blackwell");
  }

  @Test
  void forgetsADeletedFluxDeployment() {
    FluxDeployment fd = Examples.load("flux-1-schnell.yaml", "team-a");
    metrics.update(fd, new FluxDeploymentStatus());

    metrics.forget(ResourceID.fromResource(fd));

    assertThat(registry.find(FleetMetrics.READY).gauges()).isEmpty();
    assertThat(registry.find(FleetMetrics.CONDITION).gauges()).isEmpty();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }
}
