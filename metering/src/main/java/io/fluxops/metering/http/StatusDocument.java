package io.fluxops.metering.http;

import io.fluxops.metering.config.Config;
import io.fluxops.metering.counting.ComfyUiFollower;
import io.fluxops.metering.counting.MetricPoller;
import io.fluxops.metering.journal.JournalState;
import io.fluxops.metering.metrics.MeteringMetrics;
import io.fluxops.metering.reporter.LicenseState;
import io.fluxops.metering.reporter.ReportError;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
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
      Optional<String> journalDamage,
      LicenseState license,
      Optional<ReportError> reportError,
      Optional<MetricPoller.ScrapeError> scrapeError,
      Optional<ComfyUi> comfyui,
      Instant now) {}

  /**
   * ComfyUI counting, read at one moment.
   *
   * @param upstream the ComfyUI followed
   * @param lastPoll when its history was last read through
   * @param queueRemaining its prompts running and pending at that poll
   * @param promptsCounted prompts counted since the sidecar started
   * @param promptsRemembered prompts the journal remembers, so as not to count them again
   * @param promptsWithSilentOutputs prompts counted since start that ran an output node listing no
   *     saved file, whose images (if any) are not counted
   * @param error the last failed poll
   */
  public record ComfyUi(
      String upstream,
      Optional<Instant> lastPoll,
      int queueRemaining,
      long promptsCounted,
      int promptsRemembered,
      long promptsWithSilentOutputs,
      Optional<ComfyUiFollower.PollError> error) {}

  /** What {@code follower} shows now. */
  public static ComfyUi comfyUi(ComfyUiFollower follower, int promptsRemembered) {
    return new ComfyUi(
        follower.upstream().toString(),
        follower.lastPoll(),
        follower.queueRemaining(),
        follower.promptsCounted(),
        promptsRemembered,
        follower.silentPrompts(),
        follower.lastError());
  }

  /** The document for {@code s}: members in this order, null where there is nothing to say. */
  public static Map<String, Object> render(Snapshot s) {
    JournalState state = s.state();
    long monthToDate = state.monthToDate(s.now());
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("model", s.config().model().slug());
    document.put("counting", s.config().counting().value());
    document.put("accepted", state.accepted());
    document.put("reported", state.reported());
    document.put("pending", state.pending());
    document.put("inFlight", state.inFlight());
    document.put("possiblyDuplicated", state.possiblyDuplicated());
    document.put("month", YearMonth.from(s.now().atOffset(ZoneOffset.UTC)).toString());
    document.put("monthToDate", monthToDate);
    document.put("invoicingThreshold", MeteringMetrics.INVOICING_THRESHOLD_IMAGES);
    document.put(
        "invoicingThresholdExceeded", monthToDate > MeteringMetrics.INVOICING_THRESHOLD_IMAGES);
    document.put("licenseState", s.license().label());
    document.put("lastReportTime", lastReportTime(state));
    document.put("lastSuccess", lastSuccess(state));
    document.put("lastError", lastError(s));
    document.put("lastReportError", s.reportError().map(StatusDocument::error).orElse(null));
    // A damaged journal refuses counts as a failed one does: journalError says so either way.
    document.put("journalError", s.journalFailure().or(s::journalDamage).orElse(null));
    document.put("journalDamage", s.journalDamage().orElse(null));
    document.put("comfyui", s.comfyui().map(StatusDocument::comfyUi).orElse(null));
    return document;
  }

  private static Map<String, Object> comfyUi(ComfyUi c) {
    Map<String, Object> comfyui = new LinkedHashMap<>();
    comfyui.put("upstream", c.upstream());
    comfyui.put("lastPollTime", c.lastPoll().map(Instant::toString).orElse(null));
    comfyui.put("queueRemaining", c.queueRemaining());
    comfyui.put("promptsCounted", c.promptsCounted());
    comfyui.put("promptsRemembered", c.promptsRemembered());
    comfyui.put("promptsWithSilentOutputs", c.promptsWithSilentOutputs());
    comfyui.put("lastPollError", c.error().map(StatusDocument::error).orElse(null));
    return comfyui;
  }

  private static String lastReportTime(JournalState state) {
    return state.lastReportAtMillis() == 0
        ? null
        : Instant.ofEpochMilli(state.lastReportAtMillis()).toString();
  }

  private static Map<String, Object> lastSuccess(JournalState state) {
    if (state.lastReportAtMillis() == 0) {
      return null;
    }
    Map<String, Object> success = new LinkedHashMap<>();
    success.put("time", lastReportTime(state));
    success.put("images", state.lastReportImages());
    return success;
  }

  /**
   * The newest of the last report failure, the last scrape failure and the last ComfyUI poll
   * failure; {@code lastReportError} carries the report failure alone, so a scrape or poll failure
   * cannot hide that reports are failing.
   */
  private static Map<String, Object> lastError(Snapshot s) {
    record Failure(Instant at, Map<String, Object> error) {}
    Optional<Failure> newest = Optional.empty();
    for (Optional<Failure> failure :
        java.util.List.of(
            s.reportError().map(e -> new Failure(e.at(), error(e))),
            s.scrapeError()
                .map(
                    e ->
                        new Failure(
                            e.at(), error(e.at(), "metric_" + e.reason().label(), e.message()))),
            s.comfyui().flatMap(ComfyUi::error).map(e -> new Failure(e.at(), error(e))))) {
      if (failure.isPresent()
          && (newest.isEmpty() || failure.get().at().isAfter(newest.get().at()))) {
        newest = failure;
      }
    }
    return newest.map(Failure::error).orElse(null);
  }

  private static Map<String, Object> error(ComfyUiFollower.PollError e) {
    return error(e.at(), "comfyui_" + e.reason().label(), e.message());
  }

  private static Map<String, Object> error(ReportError e) {
    return error(e.at(), e.reason().label(), e.message());
  }

  private static Map<String, Object> error(Instant at, String reason, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("time", at.toString());
    error.put("reason", reason);
    error.put("message", message);
    return error;
  }
}
