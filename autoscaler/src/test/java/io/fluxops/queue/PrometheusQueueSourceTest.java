package io.fluxops.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Against a real Prometheus on a loopback port, scraping a loopback exporter every second. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusQueueSourceTest {

  private final AtomicInteger moving = new AtomicInteger(1);
  private LoopbackServer exporter;
  private LocalProcess prometheus;
  private String url;

  @BeforeAll
  void startPrometheus(@TempDir Path dir) throws IOException {
    exporter =
        LoopbackServer.serving(
            () ->
                "# TYPE flux_queue_depth gauge\n"
                    + "flux_queue_depth{pod=\"a\"} 3\n"
                    + "flux_queue_depth{pod=\"b\"} 4\n"
                    + "flux_moving_depth "
                    + moving.get()
                    + "\n");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global:\n"
            + "  scrape_interval: 1s\n"
            + "scrape_configs:\n"
            + "  - job_name: flux\n"
            + "    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + exporter.port()
            + "']\n");
    int port = LocalProcess.freePort();
    url = "http://127.0.0.1:" + port;
    prometheus =
        LocalProcess.start(
            dir,
            List.of(
                "/usr/bin/prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
    await("prometheus has scraped the exporter")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              assertThat(prometheus.alive()).as(prometheus.output()).isTrue();
              assertThat(read("sum(flux_queue_depth)").complete()).isTrue();
            });
  }

  @AfterAll
  void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  private QueueReading read(String query) {
    return new PrometheusQueueSource(url, query, Duration.ofSeconds(5)).read();
  }

  @Test
  void readsAOneSampleVector() {
    assertThat(read("sum(flux_queue_depth)").depth()).isEqualTo(7);
  }

  @Test
  void readsAScalar() {
    assertThat(read("scalar(sum(flux_queue_depth))").depth()).isEqualTo(7);
  }

  @Test
  void followsTheQueueAsPrometheusScrapesIt() {
    moving.set(10);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(read("sum(flux_moving_depth)").depth()).isEqualTo(10));
  }

  @Test
  void severalSeriesAreAnErrorThatSaysToAggregate() {
    QueueReading reading = read("flux_queue_depth");
    assertThat(reading.failed()).isTrue();
    assertThat(reading.failures())
        .singleElement()
        .asString()
        .contains("2 series matched; aggregate");
  }

  @Test
  void noSeriesIsAnErrorNotAnEmptyQueue() {
    QueueReading reading = read("flux_queue_depth{pod=\"nowhere\"}");
    assertThat(reading.failed()).isTrue();
    assertThat(reading.failures()).singleElement().asString().contains("no series matched");
  }

  @Test
  void aBadQueryReportsPrometheusError() {
    QueueReading reading = read("sum(");
    assertThat(reading.failed()).isTrue();
    assertThat(reading.failures()).singleElement().asString().contains("HTTP 400, bad_data");
  }

  @Test
  void anUnreachableServerIsAFailedReading() {
    QueueReading reading =
        new PrometheusQueueSource(
                "http://127.0.0.1:" + LocalProcess.freePort(), "up", Duration.ofSeconds(1))
            .read();
    assertThat(reading.failed()).isTrue();
    assertThat(reading.failures()).singleElement().asString().startsWith("prometheus at 127.0.0.1");
  }

  @Test
  void rejectsAUrlWithoutHttp() {
    assertThatThrownBy(() -> new PrometheusQueueSource("prometheus:9090", "up", Duration.ZERO))
        .hasMessageContaining("http://");
  }

  @Test
  void refusesARangeVectorAndNegativeValues() {
    assertThatThrownBy(
            () ->
                PrometheusQueueSource.value(
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))
        .hasMessageContaining("result is a matrix");
    assertThatThrownBy(
            () ->
                PrometheusQueueSource.value(
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"-1\"]}}"))
        .hasMessageContaining("not a queue depth");
  }
}
