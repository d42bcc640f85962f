package io.fluxops.metering.reporter;

import io.fluxops.metering.client.OutboundHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
   * Reports {@code images} within {@code timeout}, the whole exchange: connecting, sending and
   * reading the answer. The connection's own timeouts bound each read, and a server that drips a
   * byte at a time would outlast them; a watchdog closes the connection at the deadline.
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
    } catch (IOException | RuntimeException e) {
      return ReportOutcome.notSent(e);
    }
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> watchdog =
        Deadlines.INSTANCE.schedule(
            () -> {
              expired.set(true);
              // disconnect() can block (closing a stream may read what is left of it): never on the
              // one thread every report's deadline shares.
              Thread abort = new Thread(connection::disconnect, "report-abort");
              abort.setDaemon(true);
              abort.start();
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      return exchange(connection, body, key, timeout, expired);
    } finally {
      watchdog.cancel(false);
    }
  }

  private ReportOutcome exchange(
      HttpURLConnection connection,
      byte[] body,
      ApiKey key,
      Duration timeout,
      AtomicBoolean expired) {
    try {
      connection.connect();
    } catch (IOException | RuntimeException e) {
      // No byte of the report left: BFL certainly did not record it.
      return ReportOutcome.notSent(expired.get() ? timedOut(timeout) : e);
    }
    try {
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      // BFL's answer may quote the key; it goes before the answer is cut to a message's length,
      // which could otherwise keep the key's start.
      String answer = key.redact(OutboundHttp.body(connection, MAX_ANSWER_BYTES));
      if (expired.get()) {
        return ReportOutcome.unanswered(timedOut(timeout));
      }
      return ReportOutcome.fromResponse(
          status, Optional.ofNullable(connection.getHeaderField("Retry-After")), answer, clock);
    } catch (IOException | RuntimeException e) {
      return ReportOutcome.unanswered(expired.get() ? timedOut(timeout) : e);
    }
  }

  private static SocketTimeoutException timedOut(Duration timeout) {
    return new SocketTimeoutException(
        "no complete answer within " + timeout.toMillis() + " ms (FLUXOPS_REPORT_TIMEOUT_SECONDS)");
  }

  /** One daemon thread for the watchdogs of all reports; created with the first report. */
  private static final class Deadlines {
    static final ScheduledThreadPoolExecutor INSTANCE = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread thread = new Thread(r, "report-deadline");
                thread.setDaemon(true);
                return thread;
              });
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
