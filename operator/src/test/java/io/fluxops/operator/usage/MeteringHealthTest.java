package io.fluxops.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.operator.status.Conditions.Status;
import io.fluxops.operator.usage.SidecarStatus.Failure;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeteringHealthTest {

  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  private static SidecarStatus sidecar(
      String licenseState,
      long pending,
      Optional<Instant> lastReport,
      Optional<Failure> reportError,
      Optional<String> journalError) {
    return new SidecarStatus(
        10,
        10 - pending,
        pending,
        YearMonth.of(2026, 11),
        10,
        lastReport,
        licenseState,
        reportError,
        journalError);
  }

  private static SidecarStatus healthy() {
    return sidecar("valid", 0, Optional.of(T0), Optional.empty(), Optional.empty());
  }

  private static Optional<Failure> error(Instant at, String reason, String message) {
    return Optional.of(new Failure(at, reason, message));
  }

  @Test
  void sidecarsThatReportAreHealthy() {
    MeteringHealth health = MeteringHealth.of(Map.of("a", healthy(), "b", healthy())).orElseThrow();

    assertThat(health.status()).isEqualTo(Status.TRUE);
    assertThat(health.reason()).isEqualTo("Reporting");
    assertThat(health.message())
        .isEqualTo("the metering sidecars count images and report them to BFL");
  }

  @Test
  void aRefusedKeyWinsOverEverythingAndNamesThePod() {
    SidecarStatus refused =
        sidecar(
            "refused",
            4,
            Optional.of(T0),
            error(
                T0.plusSeconds(5), "refused", "BFL answered HTTP 403; the licence key was refused"),
            Optional.empty());
    SidecarStatus failing =
        sidecar(
            "valid",
            3,
            Optional.of(T0),
            error(T0.plusSeconds(9), "server_error", "BFL answered HTTP 503"),
            Optional.empty());

    MeteringHealth health =
        MeteringHealth.of(Map.of("b", failing, "a", healthy(), "c", refused)).orElseThrow();

    assertThat(health.status()).isEqualTo(Status.FALSE);
    assertThat(health.reason()).isEqualTo("KeyRefused");
    assertThat(health.message())
        .isEqualTo(
            "BFL refused the licence key (pod c: BFL answered HTTP 403; the licence key was"
                + " refused); the sidecars keep counting and hold the reports until the licence"
                + " Secret's key changes");
  }

  @Test
  void aFailureSinceTheLastConfirmedReportWithImagesWaitingIsStanding() {
    SidecarStatus failing =
        sidecar(
            "valid",
            3,
            Optional.of(T0),
            error(T0.plusSeconds(9), "timeout", "no answer in 10 s"),
            Optional.empty());

    MeteringHealth health = MeteringHealth.of(Map.of("a", failing)).orElseThrow();

    assertThat(health.status()).isEqualTo(Status.FALSE);
    assertThat(health.reason()).isEqualTo("ReportsFailing");
    assertThat(health.message())
        .isEqualTo(
            "reports from pod a are failing (timeout: no answer in 10 s); the sidecar keeps the"
                + " images and retries with backoff");
  }

  @Test
  void aFailureThatALaterReportOvercameIsHistory() {
    SidecarStatus recovered =
        sidecar(
            "valid",
            3,
            Optional.of(T0.plusSeconds(30)),
            error(T0, "rate_limited", "BFL answered HTTP 429"),
            Optional.empty());
    SidecarStatus nothingPending =
        sidecar(
            "valid",
            0,
            Optional.of(T0),
            error(T0.plusSeconds(30), "server_error", "BFL answered HTTP 500"),
            Optional.empty());

    assertThat(MeteringHealth.of(Map.of("a", recovered, "b", nothingPending)))
        .map(MeteringHealth::reason)
        .contains("Reporting");
  }

  @Test
  void aCounterReadFailureCannotHideFailingReports() throws Exception {
    // The sidecar's lastError is the newer of the two failures: here the counter read. Its
    // lastReportError still says reports fail, and that is what counts.
    SidecarStatus s =
        SidecarStatus.parse(
            "{\"accepted\":7,\"reported\":5,\"pending\":2,\"month\":\"2026-11\","
                + "\"monthToDate\":7,\"licenseState\":\"valid\","
                + "\"lastReportTime\":\"2026-11-21T10:00:00Z\","
                + "\"lastError\":{\"time\":\"2026-11-21T10:09:00Z\",\"reason\":\"metric_unreachable\","
                + "\"message\":\"connection refused\"},"
                + "\"lastReportError\":{\"time\":\"2026-11-21T10:08:00Z\",\"reason\":\"server_error\","
                + "\"message\":\"BFL answered HTTP 503\"},\"journalError\":null}");

    assertThat(MeteringHealth.of(Map.of("a", s)).orElseThrow().reason())
        .isEqualTo("ReportsFailing");
  }

  @Test
  void aCounterReadFailureFromASidecarWithoutLastReportErrorIsNotAReportFailure() throws Exception {
    SidecarStatus s =
        SidecarStatus.parse(
            "{\"accepted\":7,\"reported\":5,\"pending\":2,\"month\":\"2026-11\","
                + "\"monthToDate\":7,\"licenseState\":\"valid\","
                + "\"lastReportTime\":\"2026-11-21T10:00:00Z\","
                + "\"lastError\":{\"time\":\"2026-11-21T10:09:00Z\",\"reason\":\"metric_unreachable\","
                + "\"message\":\"connection refused\"}}");

    assertThat(s.reportError()).isEmpty();
    assertThat(MeteringHealth.of(Map.of("a", s)).orElseThrow().status()).isEqualTo(Status.TRUE);
  }

  @Test
  void aJournalErrorComesBeforeRejectedReports() {
    SidecarStatus rejected =
        sidecar(
            "rejected",
            1,
            Optional.empty(),
            error(T0, "rejected", "BFL answered HTTP 400: unknown model"),
            Optional.empty());
    SidecarStatus journal =
        sidecar(
            "valid", 0, Optional.of(T0), Optional.empty(), Optional.of("No space left on device"));

    MeteringHealth both = MeteringHealth.of(Map.of("a", rejected, "b", journal)).orElseThrow();
    MeteringHealth onlyRejected = MeteringHealth.of(Map.of("a", rejected)).orElseThrow();

    assertThat(both.reason()).isEqualTo("JournalUnwritable");
    assertThat(both.message()).endsWith("refuses new counts: No space left on device");
    assertThat(onlyRejected.reason()).isEqualTo("ReportRejected");
    assertThat(onlyRejected.message())
        .isEqualTo(
            "BFL rejects the reports of pod a: BFL answered HTTP 400: unknown model; check"
                + " spec.model and spec.license.usageEndpoint");
  }

  @Test
  void longErrorBodiesAreCut() {
    SidecarStatus rejected =
        sidecar(
            "rejected",
            1,
            Optional.empty(),
            error(T0, "rejected", "x".repeat(1000)),
            Optional.empty());

    String message = MeteringHealth.of(Map.of("a", rejected)).orElseThrow().message();

    assertThat(message).contains("x".repeat(MeteringHealth.MAX_DETAIL) + "...;");
    assertThat(message).doesNotContain("x".repeat(MeteringHealth.MAX_DETAIL + 1));
  }

  @Test
  void noAnswerIsNoFindingAndTheMessagesCarryNoCounts() {
    assertThat(MeteringHealth.of(Map.of())).isEmpty();
    assertThat(MeteringHealth.of(Map.of("a", healthy())))
        .isEqualTo(MeteringHealth.of(Map.of("a", healthy(), "b", healthy())));
    assertThat(MeteringHealth.unreachable().message())
        .isEqualTo("no metering sidecar answered on port 9469 in the last 3 polls");
  }

  @Test
  void parsesTheSidecarsFailureFields() throws Exception {
    SidecarStatus s =
        SidecarStatus.parse(
            "{\"accepted\":7,\"reported\":5,\"pending\":2,\"month\":\"2026-11\","
                + "\"monthToDate\":7,\"licenseState\":\"refused\","
                + "\"lastReportTime\":\"2026-11-21T10:00:00Z\","
                + "\"lastReportError\":{\"time\":\"2026-11-21T10:05:00Z\",\"reason\":\"refused\","
                + "\"message\":\"BFL answered HTTP 403\"},\"journalError\":null}");

    assertThat(s.keyRefused()).isTrue();
    assertThat(s.reportError())
        .contains(
            new Failure(Instant.parse("2026-11-21T10:05:00Z"), "refused", "BFL answered HTTP 403"));
    assertThat(s.journalError()).isEmpty();
    assertThat(s.standingError()).isPresent();
  }
}
