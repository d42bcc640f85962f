package io.fluxops.metering.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.metering.reporter.ReportOutcome.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportOutcomeTest {
  private final Clock clock = Clock.systemUTC();

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "200, RECORDED,",
    "204, RECORDED,",
    "401, REFUSED, REFUSED",
    "403, REFUSED, REFUSED",
    "429, RETRY, RATE_LIMITED",
    "408, RETRY, TIMEOUT",
    "503, RETRY, SERVER_ERROR",
    "500, AMBIGUOUS, SERVER_ERROR",
    "502, AMBIGUOUS, SERVER_ERROR",
    "504, AMBIGUOUS, SERVER_ERROR",
    "400, REJECTED, REJECTED",
    "404, REJECTED, REJECTED",
    "422, REJECTED, REJECTED",
    "302, REJECTED, REJECTED",
  })
  void classifiesBflAnswers(int status, Kind kind, FailureReason reason) {
    ReportOutcome outcome = ReportOutcome.fromResponse(status, Optional.empty(), "", clock);

    assertThat(outcome.kind()).isEqualTo(kind);
    assertThat(outcome.reason()).isEqualTo(Optional.ofNullable(reason));
  }

  @Test
  void carriesRetryAfterOfA429() {
    ReportOutcome outcome = ReportOutcome.fromResponse(429, Optional.of("7"), "", clock);

    assertThat(outcome.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void showsBflsDetailInTheMessage() {
    ReportOutcome outcome =
        ReportOutcome.fromResponse(400, Optional.empty(), "{\"detail\": \"Unknown model\"}", clock);

    assertThat(outcome.message()).isEqualTo("BFL answered HTTP 400: Unknown model");
  }

  @Test
  void cleansAndShortensANonJsonBody() {
    String html = "<html>\n<body>" + "x".repeat(500) + "</body></html>";
    ReportOutcome outcome = ReportOutcome.fromResponse(502, Optional.empty(), html, clock);

    assertThat(outcome.message()).doesNotContain("\n").hasSizeLessThan(260);
  }

  @Test
  void aFailureBeforeTheRequestWentOutIsNotAmbiguous() {
    ReportOutcome refused = ReportOutcome.notSent(new ConnectException("Connection refused"));
    ReportOutcome slow = ReportOutcome.notSent(new SocketTimeoutException("Connect timed out"));

    assertThat(refused.kind()).isEqualTo(Kind.RETRY);
    assertThat(refused.reason()).contains(FailureReason.CONNECTION);
    assertThat(slow.kind()).isEqualTo(Kind.RETRY);
    assertThat(slow.reason()).contains(FailureReason.TIMEOUT);
  }

  @Test
  void aFailureAfterTheRequestWentOutIsAmbiguous() {
    ReportOutcome timeout = ReportOutcome.unanswered(new SocketTimeoutException("Read timed out"));
    ReportOutcome closed = ReportOutcome.unanswered(new IOException("Unexpected end of file"));

    assertThat(timeout.kind()).isEqualTo(Kind.AMBIGUOUS);
    assertThat(timeout.reason()).contains(FailureReason.TIMEOUT);
    assertThat(closed.kind()).isEqualTo(Kind.AMBIGUOUS);
    assertThat(closed.reason()).contains(FailureReason.CONNECTION);
    assertThat(closed.message())
        .isEqualTo("report sent, no answer: IOException: Unexpected end of file");
  }
}
