package io.fluxops.metering.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.BflStandIn.Fault;
import io.fluxops.metering.support.RunningSidecar;
import io.fluxops.metering.support.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reporter against the BFL stand-in, through a running sidecar. */
class ReportingTest {
  private static final Duration AT_MOST = Duration.ofSeconds(10);

  @TempDir Path dir;
  private BflStandIn bfl;

  @BeforeEach
  void startBfl() throws Exception {
    bfl = BflStandIn.start(TestConfig.KEY);
  }

  @AfterEach
  void stopBfl() {
    bfl.close();
  }

  @Test
  void reportsEverythingInBatchesNoLargerThanTheMaximum() throws Exception {
    try (RunningSidecar sidecar = start(config().with("FLUXOPS_MAX_BATCH_IMAGES", "10"))) {
      for (int i = 0; i < 7; i++) {
        assertThat(sidecar.report(5)).isEqualTo(200);
      }

      await().atMost(AT_MOST).until(() -> bfl.recorded() == 35);
      assertThat(bfl.batches()).allSatisfy(batch -> assertThat(batch).isBetween(1L, 10L));
      assertThat(bfl.violations()).isEmpty();
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("reported") == 35);
      assertThat(sidecar.statusNumber("pending")).isZero();
      assertThat(sidecar.status().get("licenseState")).isEqualTo("valid");
      assertThat(sidecar.status().get("lastSuccess")).isInstanceOf(Map.class);
      assertThat(sidecar.metrics())
          .contains("fluxops_metering_images_reported_total{model=\"flux-1-dev\"} 35.0");
    }
  }

  @Test
  void theReportTimeoutBoundsTheWholeExchange() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // Each byte of the answer comes well within the 2 s timeout; the whole never does.
    bfl.hangFor(Duration.ofSeconds(30))
        .faults(() -> calls.getAndIncrement() == 0 ? Fault.DRIP : Fault.NONE);
    try (RunningSidecar sidecar = start(config().with("FLUXOPS_REPORT_TIMEOUT_SECONDS", "2"))) {
      sidecar.report(3);

      // Generous: on a loaded machine the retry after the timeout can take a while to land.
      await().atMost(Duration.ofSeconds(60)).until(() -> bfl.recorded() >= 3);
      List<Long> arrivals = bfl.requestNanos();
      assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0)))
          .as("the dripping report was given up at the timeout, not after the 30 s drip")
          .isBetween(Duration.ofMillis(1900), Duration.ofSeconds(10));
      assertThat(sidecar.metrics()).contains("reason=\"timeout\"}");
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) sidecar.status().get("lastReportError");
      assertThat((String) error.get("message")).contains("no complete answer within 2000 ms");
      // The answer had begun: BFL may have recorded the first, so it counts as possibly doubled.
      assertThat(sidecar.statusNumber("possiblyDuplicated")).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void waitsAsLongAsRetryAfterAsks() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    bfl.retryAfter("1")
        .faults(() -> calls.getAndIncrement() == 0 ? Fault.RATE_LIMITED : Fault.NONE);
    try (RunningSidecar sidecar = start(config())) {
      sidecar.report(2);

      await().atMost(AT_MOST).until(() -> bfl.recorded() == 2);
      List<Long> arrivals = bfl.requestNanos();
      assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
      assertThat(sidecar.metrics()).contains("reason=\"rate_limited\"} 1.0");
    }
  }

  @Test
  void retriesServerErrorsTimeoutsAndDroppedConnectionsUntilRecorded() throws Exception {
    List<Fault> script = List.of(Fault.SERVER_ERROR, Fault.HANG, Fault.DROP, Fault.NONE);
    AtomicInteger calls = new AtomicInteger();
    bfl.hangFor(Duration.ofSeconds(2))
        .faults(() -> script.get(Math.min(calls.getAndIncrement(), 3)));
    try (RunningSidecar sidecar = start(config())) {
      sidecar.report(4);

      await().atMost(AT_MOST).until(() -> bfl.recorded() == 4);
      assertThat(bfl.requests()).isEqualTo(4);
      String metrics = sidecar.metrics();
      assertThat(metrics)
          .contains("reason=\"server_error\"} 1.0")
          .contains("reason=\"timeout\"} 1.0")
          .contains("reason=\"connection\"} 1.0");
      // None was recorded, but the sidecar cannot know: each counts as possibly duplicated.
      assertThat(sidecar.statusNumber("possiblyDuplicated")).isEqualTo(12);
      assertThat(((Map<?, ?>) sidecar.status().get("lastError")).get("reason"))
          .isEqualTo("connection");
    }
  }

  @Test
  void anAnswerLostAfterBflRecordedIsTheDoubleCountAndItIsBoundedAndVisible() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    bfl.faults(() -> calls.getAndIncrement() == 0 ? Fault.RECORD_THEN_DROP : Fault.NONE);
    try (RunningSidecar sidecar = start(config())) {
      sidecar.report(6);

      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("reported") == 6);
      assertThat(bfl.recorded()).isEqualTo(12);
      assertThat(bfl.recorded() - 6)
          .isLessThanOrEqualTo(sidecar.statusNumber("possiblyDuplicated"));
    }
  }

  @Test
  void aRefusedKeyStopsReportsKeepsCountingAndResumesAfterRotation() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("license"));
    Files.writeString(
        Files.createDirectories(mount.resolve("..v1")).resolve("api-key"), "revoked-key");
    Files.createSymbolicLink(mount.resolve("..data"), Path.of("..v1"));
    Files.createSymbolicLink(mount.resolve("api-key"), Path.of("..data/api-key"));
    try (RunningSidecar sidecar =
        start(config().with("FLUXOPS_KEY_FILE", mount.resolve("api-key").toString()))) {
      sidecar.report(3);
      await().atMost(AT_MOST).until(() -> "refused".equals(sidecar.status().get("licenseState")));

      // Stopped: no further attempt over many report intervals, while counts are still taken.
      await().during(Duration.ofMillis(600)).atMost(AT_MOST).until(() -> bfl.requests() == 1);
      assertThat(sidecar.report(4)).isEqualTo(200);
      assertThat(sidecar.statusNumber("pending")).isEqualTo(7);
      assertThat(sidecar.metrics())
          .contains("fluxops_metering_license_state{model=\"flux-1-dev\",state=\"refused\"} 1.0")
          .contains("reason=\"refused\"} 1.0");

      ApiKeyFileTest.rotate(mount, "..v2", TestConfig.KEY);

      await().atMost(AT_MOST).until(() -> bfl.recorded() == 7);
      await().atMost(AT_MOST).until(() -> "valid".equals(sidecar.status().get("licenseState")));
      assertThat(sidecar.statusNumber("possiblyDuplicated")).isZero();
    }
  }

  @Test
  void aKeyQuotedInBflsAnswerIsRedactedBeforeTheMessageIsCut() throws Exception {
    bfl.faults(() -> Fault.REFUSE_ECHOING_KEY);
    try (RunningSidecar sidecar = start(config())) {
      sidecar.report(1);

      await().atMost(AT_MOST).until(() -> "refused".equals(sidecar.status().get("licenseState")));
      String message = (String) ((Map<?, ?>) sidecar.status().get("lastError")).get("message");
      assertThat(message).contains(" key [").doesNotContain(TestConfig.KEY.substring(0, 5));
    }
  }

  @Test
  void aRejectedReportIsRetriedAndShownAsRejected() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    bfl.faults(() -> calls.getAndIncrement() < 2 ? Fault.BAD_REQUEST : Fault.NONE);
    try (RunningSidecar sidecar = start(config())) {
      sidecar.report(1);

      await().atMost(AT_MOST).until(() -> bfl.recorded() == 1);
      assertThat(sidecar.metrics()).contains("reason=\"rejected\"} 2.0");
      assertThat(((Map<?, ?>) sidecar.status().get("lastError")).get("message"))
          .isEqualTo("BFL answered HTTP 400: Injected bad request");
    }
  }

  @Test
  void aGracefulStopReportsEverythingPending() throws Exception {
    RunningSidecar sidecar = start(config().with("FLUXOPS_BATCH_INTERVAL_SECONDS", "3600"));
    for (int i = 1; i <= 20; i++) {
      sidecar.report(i);
    }
    assertThat(bfl.recorded()).isZero();

    sidecar.close();

    assertThat(bfl.recorded()).isEqualTo(210);
  }

  @Test
  void aStopGivesUpAtItsTimeoutAndTheNextStartReportsTheRest() throws Exception {
    bfl.faults(() -> Fault.SERVER_ERROR);
    TestConfig config =
        config()
            .with("FLUXOPS_BATCH_INTERVAL_SECONDS", "3600")
            .with("FLUXOPS_SHUTDOWN_TIMEOUT_SECONDS", "0.5");
    RunningSidecar first = start(config);
    first.report(9);
    long stopping = System.nanoTime();
    first.close();
    assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(3));
    assertThat(bfl.recorded()).isZero();

    bfl.faults(() -> Fault.NONE);
    try (RunningSidecar second = start(config.with("FLUXOPS_BATCH_INTERVAL_SECONDS", "0.05"))) {
      await().atMost(AT_MOST).until(() -> bfl.recorded() == 9);
      assertThat(second.statusNumber("accepted")).isEqualTo(9);
    }
  }

  private TestConfig config() throws Exception {
    return TestConfig.in(dir, bfl.endpoint());
  }

  private static RunningSidecar start(TestConfig config) throws Exception {
    return RunningSidecar.start(config);
  }
}
