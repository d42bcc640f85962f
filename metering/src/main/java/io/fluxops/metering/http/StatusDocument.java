package io.fluxops.metering.http;

import io.fluxops.metering.config.Config;
import io.fluxops.metering.counting.MetricPoller;
import io.fluxops.metering.journal.JournalState;
import io.fluxops.metering.json.JsonWriter;
import io.fluxops.metering.metrics.MeteringMetrics;
import io.fluxops.metering.reporter.LicenseState;
import io.fluxops.metering.reporter.ReportError;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The {@code /status} document: the counts the operator copies into the FluxDeployment's {@code
 * status.usage}, and what a person needs to see why reporting is stuck.
 */
public final class StatusDocument {
  private StatusDocument() {}

  /** What {@code /status} is built from, read at one moment. */
  public record Snapshot(
      Config config,
      JournalState state,
      Optional<String> journalFailure,
      LicenseState license,
      Optional<ReportError> reportError,
      Optional<MetricPoller.ScrapeError> scrapeError,
      Instant now) {}

  /** The document for {@code s}. */
  public static JsonWriter render(Snapshot s) {
    JournalState state = s.state();
    long monthToDate = state.monthToDate(s.now());
    return new JsonWriter()
        .string("model", s.config().model().slug())
        .string("counting", s.config().counting().value())
        .number("accepted", state.accepted())
        .number("reported", state.reported())
        .number("pending", state.pending())
        .number("inFlight", state.inFlight())
        .number("possiblyDuplicated", state.possiblyDuplicated())
        .string("month", YearMonth.from(s.now().atOffset(ZoneOffset.UTC)).toString())
        .number("monthToDate", monthToDate)
        .number("invoicingThreshold", MeteringMetrics.INVOICING_THRESHOLD_IMAGES)
        .bool(
            "invoicingThresholdExceeded", monthToDate > MeteringMetrics.INVOICING_THRESHOLD_IMAGES)
        .string("licenseState", s.license().label())
        .string("lastReportTime", lastReportTime(state))
        .object("lastSuccess", lastSuccess(state))
        .object("lastError", lastError(s))
        .string("journalError", s.journalFailure().orElse(null));
  }

  private static String lastReportTime(JournalState state) {
    return state.lastReportAtMillis() == 0
        ? null
        : Instant.ofEpochMilli(state.lastReportAtMillis()).toString();
  }

  private static JsonWriter lastSuccess(JournalState state) {
    if (state.lastReportAtMillis() == 0) {
      return null;
    }
    return new JsonWriter()
        .string("time", lastReportTime(state))
        .number("images", state.lastReportImages());
  }

  /** The newer of the last report failure and the last scrape failure. */
  private static JsonWriter lastError(Snapshot s) {
    Optional<JsonWriter> report =
        s.reportError().map(e -> error(e.at(), e.reason().label(), e.message()));
    Optional<JsonWriter> scrape =
        s.scrapeError().map(e -> error(e.at(), "metric_" + e.reason().label(), e.message()));
    if (report.isPresent() && scrape.isPresent()) {
      return s.reportError().get().at().isAfter(s.scrapeError().get().at())
          ? report.get()
          : scrape.get();
    }
    return report.or(() -> scrape).orElse(null);
  }

  private static JsonWriter error(Instant at, String reason, String message) {
    return new JsonWriter()
        .string("time", at.toString())
        .string("reason", reason)
        .string("message", message);
  }
}
