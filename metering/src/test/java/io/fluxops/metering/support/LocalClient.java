package io.fluxops.metering.support;

import io.fluxops.metering.json.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** What inference code does: POSTs counts to the sidecar, and reads its other endpoints. */
public final class LocalClient {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private volatile URI base;
  private volatile URI usage;

  /**
   * @param port the port of {@code /status}, {@code /metrics} and the probes
   * @param usagePort the loopback port of the usage endpoint
   */
  public LocalClient(int port, int usagePort) {
    retarget(port, usagePort);
  }

  /** Points at a sidecar that restarted on other ports. */
  public void retarget(int port, int usagePort) {
    this.base = URI.create("http://127.0.0.1:" + port);
    this.usage = URI.create("http://127.0.0.1:" + usagePort);
  }

  /** The port of {@code /status}. */
  public int port() {
    return base.getPort();
  }

  /** POSTs {@code {"number_of_generations": images}} as BFL's reference code does. */
  public HttpResponse<String> report(long images) throws IOException, InterruptedException {
    return post(
        "/v1/licenses/models/flux-1-dev/usage",
        "application/json",
        "{\"number_of_generations\": " + images + "}");
  }

  /** A POST to the usage port for usage paths, to the status port for the others. */
  public HttpResponse<String> post(String path, String contentType, String body)
      throws IOException, InterruptedException {
    return post(portFor(path), path, contentType, body);
  }

  /** A POST to the port of {@code /status}, where counts are refused. */
  public HttpResponse<String> postToStatusPort(String path, String contentType, String body)
      throws IOException, InterruptedException {
    return post(base, path, contentType, body);
  }

  private HttpResponse<String> post(URI to, String path, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(to.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code /status}, parsed. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> status() throws IOException, InterruptedException {
    return (Map<String, Object>) Json.parse(get("/status").body());
  }

  /** A number from {@code /status}. */
  /** An integer member of {@code /status}; fails on a missing one or one with a fraction. */
  public long statusNumber(String field) throws IOException, InterruptedException {
    Object value = status().get(field);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.longValueExact();
    }
    throw new IllegalStateException("/status member " + field + " is not an integer: " + value);
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(portFor(path), path, "GET");
  }

  /** A request without a body, to the port that serves {@code path}. */
  public HttpResponse<String> send(String path, String method)
      throws IOException, InterruptedException {
    return send(portFor(path), path, method);
  }

  /** Where the sidecar serves a path: usage on the loopback usage port, the rest on the other. */
  private URI portFor(String path) {
    return path.startsWith("/v1/") ? usage : base;
  }

  private HttpResponse<String> send(URI to, String path, String method)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(to.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
