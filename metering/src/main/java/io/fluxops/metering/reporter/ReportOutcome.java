package io.fluxops.metering.reporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fluxops.metering.json.Json;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What became of one report, and therefore what to do next. The classification is the heart of
 * exact counting: a report is retried unless BFL answered, and it counts as possibly duplicated
 * whenever BFL might have recorded it without the sidecar learning so.
 *
 * @param kind what to do next
 * @param reason why it failed; empty on success
 * @param message for the log and {@code /status}; never contains the key
 * @param retryAfter how long BFL asked to wait, if it did
 */
public record ReportOutcome(
    Kind kind, Optional<FailureReason> reason, String message, Optional<Duration> retryAfter) {

  /** The decisions a report can lead to. */
  public enum Kind {
    /** BFL recorded the images. */
    RECORDED,
    /** BFL refused the key: stop sending until the key changes. */
    REFUSED,
    /** BFL will not accept this report as sent: retry slowly, someone must look. */
    REJECTED,
    /** BFL certainly did not record it: retry with backoff. */
    RETRY,
    /** BFL may have recorded it: retry with backoff, and count the images as possibly doubled. */
    AMBIGUOUS
  }

  private static final int MAX_DETAIL = 200;

  static ReportOutcome recorded() {
    return new ReportOutcome(Kind.RECORDED, Optional.empty(), "recorded", Optional.empty());
  }

  /** Classifies BFL's answer. */
  static ReportOutcome fromResponse(
      int status, Optional<String> retryAfter, String body, Clock clock) {
    if (status >= 200 && status < 300) {
      return recorded();
    }
    String message = "BFL answered HTTP " + status + detail(body);
    Optional<Duration> wait = retryAfter.flatMap(value -> RetryAfter.parse(value, clock));
    if (status == 401 || status == 403) {
      return failure(
          Kind.REFUSED, FailureReason.REFUSED, message + "; the licence key was refused");
    }
    if (status == 429) {
      return new ReportOutcome(Kind.RETRY, Optional.of(FailureReason.RATE_LIMITED), message, wait);
    }
    if (status == 408) {
      return failure(Kind.RETRY, FailureReason.TIMEOUT, message);
    }
    if (status == 503) {
      // Unavailable: turned away before processing.
      return new ReportOutcome(Kind.RETRY, Optional.of(FailureReason.SERVER_ERROR), message, wait);
    }
    if (status >= 500) {
      // A 500, 502 or 504 can come after the count was stored: the outcome is unknown.
      return new ReportOutcome(
          Kind.AMBIGUOUS, Optional.of(FailureReason.SERVER_ERROR), message, wait);
    }
    return failure(Kind.REJECTED, FailureReason.REJECTED, message);
  }

  /** A failure before any of the report was sent (connect, TLS handshake): not recorded. */
  static ReportOutcome notSent(Exception e) {
    return failure(Kind.RETRY, reasonOf(e), "report not sent: " + describe(e));
  }

  /** A failure after the report went out (timeout, reset, closed): BFL may have recorded it. */
  static ReportOutcome unanswered(Exception e) {
    return failure(Kind.AMBIGUOUS, reasonOf(e), "report sent, no answer: " + describe(e));
  }

  private static FailureReason reasonOf(Exception e) {
    if (e instanceof RuntimeException) {
      return FailureReason.INTERNAL;
    }
    return e instanceof SocketTimeoutException ? FailureReason.TIMEOUT : FailureReason.CONNECTION;
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static ReportOutcome failure(Kind kind, FailureReason reason, String message) {
    return new ReportOutcome(kind, Optional.of(reason), message, Optional.empty());
  }

  /** BFL's {@code detail}, or the start of the body, cleaned for a log line. */
  private static String detail(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String text = body;
    try {
      if (Json.parse(body) instanceof Map<?, ?> map && map.get("detail") != null) {
        Object detail = map.get("detail");
        text = detail instanceof String s ? s : String.valueOf(detail);
      }
    } catch (JsonProcessingException e) {
      // Not JSON (a proxy's HTML page, say): show its start.
    }
    String clean = text.replaceAll("\\p{Cntrl}+", " ").strip();
    return ": " + (clean.length() > MAX_DETAIL ? clean.substring(0, MAX_DETAIL) + "…" : clean);
  }
}
