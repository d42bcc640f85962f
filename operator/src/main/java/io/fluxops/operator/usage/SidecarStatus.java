package io.fluxops.operator.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;

/**
 * The counts one metering sidecar reports on {@code /status}.
 *
 * @param month the calendar month (UTC) {@code monthToDate} counts
 * @param lastReportTime when BFL last confirmed a report, if ever
 */
public record SidecarStatus(
    long accepted,
    long reported,
    long pending,
    YearMonth month,
    long monthToDate,
    Optional<Instant> lastReportTime) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses a {@code /status} document; fails on one without the counts. */
  public static SidecarStatus parse(String body) throws IOException {
    JsonNode n = JSON.readTree(body);
    if (n == null || !n.path("accepted").isNumber() || !n.path("reported").isNumber()) {
      throw new IOException("not a metering /status document");
    }
    String time = n.path("lastReportTime").asText(null);
    String month = n.path("month").asText(null);
    return new SidecarStatus(
        n.path("accepted").asLong(),
        n.path("reported").asLong(),
        n.path("pending").asLong(),
        month == null ? null : YearMonth.parse(month),
        n.path("monthToDate").asLong(),
        time == null || time.isBlank() ? Optional.empty() : Optional.of(Instant.parse(time)));
  }
}
