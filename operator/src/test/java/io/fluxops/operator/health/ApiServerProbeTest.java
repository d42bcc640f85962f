package io.fluxops.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.autoscale.SimClock;
import io.fluxops.operator.testing.MockCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ApiServerProbeTest {

  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

  @Test
  void healthFailsOnlyOnceTheApiServerHasNotAnsweredForLong() {
    SimClock clock = new SimClock(START);
    AtomicBoolean up = new AtomicBoolean(true);
    ApiServerProbe probe =
        new ApiServerProbe(
            () -> {
              if (!up.get()) {
                throw new java.net.ConnectException("Connection refused");
              }
              return "v1.34.4";
            },
            clock,
            Duration.ofSeconds(5),
            Duration.ofSeconds(60));
    probe.check();
    up.set(false);

    clock.set(START.plusSeconds(50));
    probe.check();
    assertThat(probe.reachable()).as("50 s without an answer").isTrue();

    clock.set(START.plusSeconds(61));
    probe.check();
    assertThat(probe.reachable()).as("61 s without an answer").isFalse();

    up.set(true);
    probe.check();
    assertThat(probe.reachable()).as("answering again").isTrue();
    probe.close();
  }

  @Test
  void aRequestThatHangsCountsAsNoAnswer() {
    SimClock clock = new SimClock(START);
    CountDownLatch never = new CountDownLatch(1);
    ApiServerProbe probe =
        new ApiServerProbe(
            () -> {
              never.await();
              return null;
            },
            clock,
            Duration.ofMillis(200),
            Duration.ofSeconds(60));
    clock.set(START.plusSeconds(61));
    probe.check();
    assertThat(probe.reachable()).isFalse();
    probe.close();
  }

  @Test
  void anApiServerThatGoesAwayMakesTheProbeFail() {
    SimClock clock = new SimClock(START);
    MockCluster cluster = new MockCluster();
    var client = cluster.client();
    ApiServerProbe probe =
        new ApiServerProbe(
            client::getKubernetesVersion, clock, Duration.ofSeconds(2), Duration.ofSeconds(1));
    clock.set(START.plusSeconds(10));
    probe.check();
    assertThat(probe.reachable()).as("the mock API server answers /version").isTrue();

    cluster.close();
    clock.set(START.plusSeconds(20));
    probe.check();
    assertThat(probe.reachable()).isFalse();
    probe.close();
  }
}
