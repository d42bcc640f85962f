package io.fluxops.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesHealthAndPrometheusMetrics() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("fluxops_test_events_total").increment(3);
    AtomicBoolean healthy = new AtomicBoolean(false);

    try (HttpEndpoints endpoints = HttpEndpoints.start(0, registry, healthy::get)) {
      assertThat(get(endpoints, "/healthz").statusCode()).isEqualTo(503);
      healthy.set(true);
      assertThat(get(endpoints, "/healthz").statusCode()).isEqualTo(200);

      HttpResponse<String> metrics = get(endpoints, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(metrics.body()).contains("fluxops_test_events_total 3.0");

      var post =
          http.send(
              HttpRequest.newBuilder(uri(endpoints, "/metrics"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  private HttpResponse<String> get(HttpEndpoints endpoints, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(endpoints, path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(HttpEndpoints endpoints, String path) {
    return URI.create("http://127.0.0.1:" + endpoints.port() + path);
  }
}
