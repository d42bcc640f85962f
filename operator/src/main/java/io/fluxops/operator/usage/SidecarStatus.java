package io.fluxops.operator.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;

/**
 * What one metering sidecar reports on {@code /status}: its counts, and how its reports to BFL
 * fare.
 *
 * @param month the calendar month (UTC) {@code monthToDate} counts
 * @param lastReportTime when BFL last confirmed a report, if ever
 * @param licenseState what BFL last said about the key: {@code unknown} (nothing sent yet), {@code
 *     valid}, {@code refused} (401/403) or {@code rejected}
 * @param reportError the sidecar's latest failure to report to BFL ({@code lastReportError}; from
 *     an older sidecar, {@code lastError} unless that was a failure to read the inference counter)
 * @param journalError why the sidecar cannot write its journal, if it cannot
 */
public record SidecarStatus(
    long accepted,
    long reported,
    long pending,
    YearMonth month,
    long monthToDate,
    Optional<Instant> lastReportTime,
    String licenseState,
    Optional<Failure> reportError,
    Optional<String> journalError) {

  /** A failure as the sidecar describes it; its messages never contain the key. */
  public record Failure(Instant time, String reason, String message) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses a {@code /status} document; fails on one without the counts. */
  public static SidecarStatus parse(String body) throws IOException {
    JsonNode n = JSON.readTree(body);
    if (n == null || !n.path("accepted").isNumber() || !n.path("reported").isNumber()) {
      throw new IOException("not a metering /status document");
    }
    String month = n.path("month").asText(null);
    return new SidecarStatus(
        n.path("accepted").asLong(),
        n.path("reported").asLong(),
        n.path("pending").asLong(),
        month == null ? null : YearMonth.parse(month),
        n.path("monthToDate").asLong(),
        instant(n.path("lastReportTime")),
        n.path("licenseState").asText("unknown"),
        n.has("lastReportError")
            ? failure(n.path("lastReportError"))
            : failure(n.path("lastError")).filter(e -> !e.reason().startsWith("metric_")),
        text(n.path("journalError")));
  }

  /** Whether BFL refused this sidecar's key. */
  public boolean keyRefused() {
    return "refused".equals(licenseState);
  }

  /**
   * The reporting failure that stands now: the latest one, when BFL has confirmed nothing since and
   * images wait to be reported. A failure a later report overcame is history, not a problem.
   */
  public Optional<Failure> standingError() {
    return reportError.filter(
        e -> pending > 0 && lastReportTime.map(t -> t.isBefore(e.time())).orElse(true));
  }

  private static Optional<Failure> failure(JsonNode node) {
    if (!node.isObject()) {
      return Optional.empty();
    }
    Optional<Instant> time = instant(node.path("time"));
    return Optional.of(
        new Failure(
            time.orElse(Instant.EPOCH),
            node.path("reason").asText(""),
            node.path("message").asText("")));
  }

  private static Optional<Instant> instant(JsonNode node) {
    return text(node).map(Instant::parse);
  }

  private static Optional<String> text(JsonNode node) {
    String value = node.isTextual() ? node.asText() : null;
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
