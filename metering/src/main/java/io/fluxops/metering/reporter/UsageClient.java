package io.fluxops.metering.reporter;

import io.fluxops.metering.http.OutboundHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Sends one usage report to BFL, exactly in the shape BFL documents, and classifies the answer. */
public final class UsageClient {
  private static final int MAX_ANSWER_BYTES = 8192;

  private final URI usageUri;
  private final Clock clock;

  /**
   * @param usageUri {@code <endpoint>/v1/licenses/models/<slug>/usage}
   */
  public UsageClient(URI usageUri, Clock clock) {
    this.usageUri = usageUri;
    this.clock = clock;
  }

  /**
   * Reports {@code images}, waiting at most {@code timeout} to connect and at most {@code timeout}
   * for each read of the answer.
   */
  public ReportOutcome send(long images, ApiKey key, Duration timeout) {
    byte[] body = ("{\"number_of_generations\": " + images + "}").getBytes(StandardCharsets.UTF_8);
    HttpURLConnection connection;
    try {
      connection = OutboundHttp.open(usageUri, "POST", timeout);
      connection.setDoOutput(true);
      // Streamed with a fixed length: never buffered for a silent resend.
      connection.setFixedLengthStreamingMode(body.length);
      connection.setRequestProperty("x-key", key.value());
      connection.setRequestProperty("Content-Type", "application/json");
      connection.setRequestProperty("User-Agent", "fluxops-metering");
      connection.connect();
    } catch (IOException | RuntimeException e) {
      // No byte of the report left: BFL certainly did not record it.
      return ReportOutcome.notSent(e);
    }
    try {
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      // BFL's answer may quote the key; it goes before the answer is cut to a message's length,
      // which could otherwise keep the key's start.
      String answer = key.redact(OutboundHttp.body(connection, MAX_ANSWER_BYTES));
      return ReportOutcome.fromResponse(
          status, Optional.ofNullable(connection.getHeaderField("Retry-After")), answer, clock);
    } catch (IOException | RuntimeException e) {
      return ReportOutcome.unanswered(e);
    }
  }
}
