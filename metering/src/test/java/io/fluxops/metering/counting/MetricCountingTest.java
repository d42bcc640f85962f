package io.fluxops.metering.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.InferenceMetrics;
import io.fluxops.metering.support.RunningSidecar;
import io.fluxops.metering.support.TestConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code counting: metric}: the sidecar scrapes the inference server's counter. */
class MetricCountingTest {
  private static final Duration AT_MOST = Duration.ofSeconds(10);

  @TempDir Path dir;
  private BflStandIn bfl;
  private InferenceMetrics inference;

  @BeforeEach
  void start() throws Exception {
    bfl = BflStandIn.start(TestConfig.KEY);
    inference = InferenceMetrics.start();
  }

  @AfterEach
  void stop() {
    inference.close();
    bfl.close();
  }

  @Test
  void reportsEachIncreaseOfTheCounter() throws Exception {
    inference.imagesGenerated(3, 1);
    try (RunningSidecar sidecar = start(inference.url())) {
      await().atMost(AT_MOST).until(() -> bfl.recorded() == 4);

      inference.imagesGenerated(10, 2);

      await().atMost(AT_MOST).until(() -> bfl.recorded() == 12);
      assertThat(sidecar.statusNumber("accepted")).isEqualTo(12);
      assertThat(sidecar.status().get("counting")).isEqualTo("metric");
    }
  }

  @Test
  void aCounterResetByAServerRestartCountsFromZero() throws Exception {
    inference.imagesGenerated(40, 0);
    try (RunningSidecar sidecar = start(inference.url())) {
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 40);

      inference.imagesGenerated(0, 0);
      await().atMost(AT_MOST).until(() -> sidecar.sidecar().journal().state().lastCounter() == 0);
      inference.imagesGenerated(5, 0);

      await().atMost(AT_MOST).until(() -> bfl.recorded() == 45);
      assertThat(sidecar.statusNumber("accepted")).isEqualTo(45);
    }
  }

  @Test
  void anUnreachableServerIsAFailureThatLosesNothing() throws Exception {
    inference.imagesGenerated(2, 0);
    try (RunningSidecar sidecar = start(inference.url())) {
      await().atMost(AT_MOST).until(() -> bfl.recorded() == 2);

      inference.withoutCounter();
      await()
          .atMost(AT_MOST)
          .until(() -> sidecar.metrics().matches("(?s).*reason=\"not_found\"} [1-9].*"));
      inference.close();
      await()
          .atMost(AT_MOST)
          .until(() -> sidecar.metrics().matches("(?s).*reason=\"unreachable\"} [1-9].*"));
      assertThat(((Map<?, ?>) sidecar.status().get("lastError")).get("reason"))
          .isEqualTo("metric_unreachable");
      assertThat(sidecar.statusNumber("accepted")).isEqualTo(2);
    }

    // The server comes back on another port with a higher count; a new sidecar on the same
    // journal continues from the last value it saw.
    try (InferenceMetrics back = InferenceMetrics.start()) {
      back.imagesGenerated(7, 0);
      try (RunningSidecar sidecar = start(back.url())) {
        await().atMost(AT_MOST).until(() -> bfl.recorded() == 7);
        assertThat(sidecar.statusNumber("accepted")).isEqualTo(7);
      }
    }
  }

  @Test
  void refusesPostedCountsSoNothingIsCountedTwice() throws Exception {
    inference.imagesGenerated(1, 0);
    try (RunningSidecar sidecar = start(inference.url())) {
      assertThat(sidecar.report(5)).isEqualTo(409);
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 1);
    }
  }

  private RunningSidecar start(URI metrics) throws Exception {
    return RunningSidecar.start(
        TestConfig.in(dir, bfl.endpoint())
            .with("FLUXOPS_COUNTING", "metric")
            .with("FLUXOPS_METRIC_URL", metrics.toString())
            .with("FLUXOPS_METRIC_NAME", "flux_images_generated_total"));
  }
}
