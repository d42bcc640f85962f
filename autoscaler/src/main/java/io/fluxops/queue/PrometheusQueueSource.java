package io.fluxops.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code prometheus} source: an instant query against a Prometheus server's HTTP API ({@code
 * GET <url>/api/v1/query?query=...}). The query must give one number: a scalar or a vector with
 * exactly one sample. An empty or multi-series result is an error that says how to fix the query,
 * never a silent zero.
 */
public final class PrometheusQueueSource implements QueueSource {

  /** How long the query may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI queryUri;
  private final String query;
  private final Duration timeout;
  private final HttpClient client;

  /**
   * A source running {@code query} on the server at {@code url}.
   *
   * @param url the server's base URL, e.g. {@code http://prometheus:9090}
   * @param query PromQL giving queued plus running generations, e.g. {@code
   *     sum(flux_queue_depth{app="dev-4090"})}
   * @param timeout how long one query may take
   */
  public PrometheusQueueSource(String url, String query, Duration timeout) {
    Objects.requireNonNull(url, "url");
    this.query = Objects.requireNonNull(query, "query");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI uri = URI.create(base + "/api/v1/query?query=" + encode(query));
    if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
      throw new IllegalArgumentException(
          "prometheus url must start with http:// or https://, got '" + url + "'");
    }
    this.queryUri = uri;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public QueueReading read() {
    HttpRequest request = HttpRequest.newBuilder(queryUri).timeout(timeout).GET().build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return QueueReading.of(value(response.statusCode(), response.body()));
    } catch (HttpTimeoutException e) {
      return QueueReading.failed("prometheus query timed out after " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return QueueReading.failed("prometheus at " + queryUri.getAuthority() + ": " + e);
    } catch (QueueFormatException e) {
      return QueueReading.failed("prometheus query '" + query + "': " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return QueueReading.failed("interrupted while querying prometheus");
    }
  }

  /** The one number in an API answer, or why there is not exactly one. */
  static double value(int status, String body) throws QueueFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new QueueFormatException("HTTP " + status + ", answer is not JSON", e);
    }
    if (root == null || !"success".equals(root.path("status").asText())) {
      throw new QueueFormatException(
          "HTTP "
              + status
              + ", "
              + (root == null
                  ? "empty answer"
                  : root.path("errorType").asText("error")
                      + ": "
                      + root.path("error").asText("no error message")));
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    return switch (type) {
      case "scalar" -> number(result);
      case "vector" -> single(result);
      default ->
          throw new QueueFormatException(
              "result is a " + type + "; the query must give a scalar or a one-sample vector");
    };
  }

  private static double single(JsonNode result) throws QueueFormatException {
    if (result.size() == 0) {
      throw new QueueFormatException(
          "no series matched; check the query and that Prometheus scrapes the queue, or append"
              + " 'or vector(0)' if no series means an empty queue");
    }
    if (result.size() > 1) {
      throw new QueueFormatException(
          result.size() + " series matched; aggregate them to one, e.g. sum(...)");
    }
    return number(result.get(0).path("value"));
  }

  private static double number(JsonNode pair) throws QueueFormatException {
    String text = pair.path(1).asText("");
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new QueueFormatException("sample value '" + text + "' is not a number", e);
    }
    if (!Double.isFinite(value) || value < 0) {
      throw new QueueFormatException("sample value " + text + " is not a queue depth");
    }
    return value;
  }

  private static String encode(String query) {
    return URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
