package io.fluxops.metering.reporter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/** Sends one usage report to BFL, exactly in the shape BFL documents, and classifies the answer. */
public final class UsageClient {
  private final URI usageUri;
  private final HttpClient http;
  private final Clock clock;

  /**
   * @param usageUri {@code <endpoint>/v1/licenses/models/<slug>/usage}
   * @param connectTimeout how long to wait for a connection
   * @param executor runs the HTTP client's internal tasks; a small one keeps the thread count low
   */
  public UsageClient(URI usageUri, Duration connectTimeout, Executor executor, Clock clock) {
    this.usageUri = usageUri;
    this.clock = clock;
    // Redirects are not followed: a POST redirected elsewhere must not silently count there.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  /** Reports {@code images}, waiting at most {@code timeout} for the answer. */
  public ReportOutcome send(long images, ApiKey key, Duration timeout) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(usageUri)
            .timeout(timeout)
            .header("x-key", key.value())
            .header("Content-Type", "application/json")
            .header("User-Agent", "fluxops-metering")
            .POST(
                HttpRequest.BodyPublishers.ofString("{\"number_of_generations\": " + images + "}"))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return ReportOutcome.fromResponse(
          response.statusCode(),
          response.headers().firstValue("Retry-After"),
          response.body(),
          clock);
    } catch (IOException e) {
      return ReportOutcome.fromException(e);
    }
  }
}
