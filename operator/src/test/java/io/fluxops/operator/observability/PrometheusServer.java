package io.fluxops.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus (package {@code prometheus}) on a loopback port, in a temporary directory.
 */
final class PrometheusServer implements AutoCloseable {

  static final Path BINARY =
      Path.of(System.getProperty("fluxops.prometheus", "/usr/bin/prometheus"));

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts Prometheus scraping each job's loopback target every second.
   *
   * @param targets job name to {@code host:port}
   * @param ruleFiles rule files to load, so that a rule Prometheus refuses fails the start
   */
  static PrometheusServer start(Path dir, Map<String, String> targets, List<Path> ruleFiles)
      throws IOException {
    assertThat(Files.isExecutable(BINARY))
        .as(
            "%s is missing: install Debian's prometheus package (apt-get install prometheus), as"
                + " .ci/run does, or point -Dfluxops.prometheus at a prometheus binary",
            BINARY)
        .isTrue();
    StringBuilder config =
        new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
    config.append("rule_files:\n");
    ruleFiles.forEach(f -> config.append("  - ").append(f.toAbsolutePath()).append('\n'));
    config.append("scrape_configs:\n");
    targets.forEach(
        (job, target) ->
            config
                .append("  - job_name: ")
                .append(job)
                .append("\n    static_configs:\n      - targets: ['")
                .append(target)
                .append("']\n"));
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config);
    int port = freePort();
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new PrometheusServer(process, port, log);
  }

  /** Whether the server answers and its process still runs. */
  boolean ready() {
    if (!process.isAlive()) {
      throw new IllegalStateException("Prometheus exited:\n" + log());
    }
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(base() + "/-/ready")).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * An instant query's {@code data} node; a query Prometheus refuses fails with its error.
   *
   * @return {@code data.result}: one element per series
   */
  JsonNode query(String promql) {
    JsonNode answer =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!"success".equals(answer.path("status").asText())) {
      throw new AssertionError("Prometheus refused " + promql + ": " + answer);
    }
    return answer.path("data").path("result");
  }

  /** Every metric name Prometheus has. */
  List<String> metricNames() {
    JsonNode names = get("/api/v1/label/__name__/values").path("data");
    return JSON.convertValue(
        names, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  /** The health of each scrape target, by job. */
  JsonNode targets() {
    return get("/api/v1/targets?state=active").path("data").path("activeTargets");
  }

  /** The rules Prometheus loaded, with their health. */
  JsonNode rules() {
    return get("/api/v1/rules").path("data").path("groups");
  }

  private JsonNode get(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base() + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
