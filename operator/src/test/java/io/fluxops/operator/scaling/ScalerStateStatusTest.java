package io.fluxops.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.autoscale.Decision;
import io.fluxops.autoscale.ImageCount;
import io.fluxops.autoscale.Priors;
import io.fluxops.autoscale.QueueDepthScaler;
import io.fluxops.autoscale.Reading;
import io.fluxops.autoscale.Replicas;
import io.fluxops.autoscale.ScalerState;
import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.autoscale.SimClock;
import io.fluxops.operator.api.AutoscalerStatus;
import io.fluxops.operator.api.FluxDeploymentStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScalerStateStatusTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /**
   * A state with every part filled: a few minutes of a busy workload that paused for a minute and a
   * half (an idle gap, long enough to end a busy period) and grew.
   */
  private static Decision busyDecision() {
    SimClock clock = new SimClock(Instant.parse("2026-03-01T12:00:00Z"));
    QueueDepthScaler scaler =
        new QueueDepthScaler(ScalingPolicy.withRange(0, 20), Priors.secondsPerImage(14.4), clock);
    ScalerState state = ScalerState.initial();
    Decision decision = null;
    int current = 2;
    long images = 0;
    for (int poll = 0; poll < 60; poll++) {
      clock.set(clock.instant().plusSeconds(5));
      boolean paused = poll >= 10 && poll < 28;
      images += !paused && poll % 3 == 0 ? 1 : 0;
      decision =
          scaler.decide(
              state,
              Reading.of(paused ? 0 : poll < 30 ? 3 : 14),
              new Replicas(current, Math.min(current, 2), Math.max(0, current - 2)),
              ImageCount.of(images));
      state = decision.state();
      current = decision.desiredReplicas();
    }
    return decision;
  }

  @Test
  void theMemoryRoundTripsThroughTheStatusAsTheApiServerStoresIt() {
    Decision decision = busyDecision();
    assertThat(decision.state().arrivals()).isNotEmpty();
    assertThat(decision.state().podStart().orders()).isNotEmpty();
    assertThat(decision.state().idleGaps()).anyMatch(level -> !level.gaps().isEmpty());
    assertThat(decision.state().idleGaps()).anyMatch(level -> level.lastBurstPerSecond() > 0);
    FluxDeploymentStatus status = new FluxDeploymentStatus();
    status.setAutoscaler(ScalerStateStatus.of(decision));

    FluxDeploymentStatus stored = JSON.unmarshal(JSON.asJson(status), FluxDeploymentStatus.class);

    assertThat(ScalerStateStatus.read(stored.getAutoscaler())).contains(decision.state());
    // A memory written before the last burst was kept reads it as none.
    stored.getAutoscaler().getMemory().getIdleGaps().forEach(g -> g.setLastBurstPerSecond(null));
    assertThat(ScalerStateStatus.read(stored.getAutoscaler()).orElseThrow().idleGaps())
        .allMatch(level -> level.lastBurstPerSecond() == 0);
    assertThat(stored.getAutoscaler().getBasis()).isEqualTo("arrivals");
    assertThat(stored.getAutoscaler().getSecondsPerImage()).isPositive();
  }

  @Test
  void noMemoryReadsAsNoneAndAMissingFieldIsAnError() {
    assertThat(ScalerStateStatus.read(null)).isEmpty();
    assertThat(ScalerStateStatus.read(new AutoscalerStatus())).isEmpty();
    AutoscalerStatus broken = ScalerStateStatus.of(busyDecision());
    broken.getMemory().getRecommendations().get(0).setReplicas(null);
    assertThatThrownBy(() -> ScalerStateStatus.read(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status.autoscaler.memory");
  }
}
