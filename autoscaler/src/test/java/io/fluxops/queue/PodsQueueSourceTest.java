package io.fluxops.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.autoscale.Reading;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against real JDK HttpServers on loopback standing in for inference pods. */
class PodsQueueSourceTest {

  private static final String PAGE_A =
      "# HELP flux_queue_depth Queued plus running generations.\n"
          + "# TYPE flux_queue_depth gauge\n"
          + "flux_queue_depth{state=\"queued\"} 2\n"
          + "flux_queue_depth{state=\"running\"} 1\n"
          + "flux_images_generated_total 1234\n";
  private static final String PAGE_B = "flux_queue_depth{state=\"queued\"} 4 1700000000000\n";

  // Long enough that a healthy loopback pod answers in time on a loaded two-core machine (at 500 ms
  // one sometimes did not, and the test failed on the good pods, not on the hanging one).
  private final PodScraper scraper = new PodScraper(Duration.ofMillis(1500), 2);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    scraper.close();
  }

  private QueueReading read(String metric, PodEndpoint... pods) {
    return new PodsQueueSource(() -> List.of(pods), "/metrics", metric, scraper).read();
  }

  @Test
  void sumsTheMetricOverEveryReadyPod() {
    try (LoopbackServer a = LoopbackServer.serving(() -> PAGE_A);
        LoopbackServer b = LoopbackServer.serving(() -> PAGE_B)) {
      QueueReading reading = read("flux_queue_depth", a.endpoint("a"), b.endpoint("b"));
      assertThat(reading.toReading()).isEqualTo(Reading.of(7));
      assertThat(reading.answered()).isEqualTo(2);
    }
  }

  @Test
  void sumsOnlyTheSelectedLabels() {
    try (LoopbackServer a = LoopbackServer.serving(() -> PAGE_A);
        LoopbackServer b = LoopbackServer.serving(() -> PAGE_B)) {
      QueueReading reading =
          read("flux_queue_depth{state=\"queued\"}", a.endpoint("a"), b.endpoint("b"));
      assertThat(reading.depth()).isEqualTo(6);
    }
  }

  @Test
  void aFailingPodIsCountedAsAFailureNotAsZero() {
    try (LoopbackServer a = LoopbackServer.serving(() -> PAGE_A);
        LoopbackServer broken =
            LoopbackServer.start(exchange -> LoopbackServer.respond(exchange, 500, "oops"))) {
      QueueReading reading = read("flux_queue_depth", a.endpoint("a"), broken.endpoint("broken"));

      assertThat(reading.depth()).isEqualTo(3);
      assertThat(reading.complete()).isFalse();
      assertThat(reading.failures())
          .singleElement()
          .asString()
          .startsWith("broken (")
          .endsWith("HTTP 500");
      Reading forScaler = reading.toReading();
      assertThat(forScaler.quality()).isEqualTo(Reading.Quality.PARTIAL);
      assertThat(forScaler.problem()).startsWith("1 of 2 did not answer");
    }
  }

  @Test
  void aHangingPodTimesOutWithoutStallingTheOthers() {
    try (LoopbackServer a = LoopbackServer.serving(() -> PAGE_A);
        LoopbackServer b = LoopbackServer.serving(() -> PAGE_B);
        LoopbackServer hanging = LoopbackServer.start(exchange -> awaitQuietly(release))) {
      long started = System.nanoTime();
      QueueReading reading =
          read("flux_queue_depth", hanging.endpoint("hanging"), a.endpoint("a"), b.endpoint("b"));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(reading.depth()).isEqualTo(7);
      assertThat(reading.answered()).isEqualTo(2);
      assertThat(reading.failures())
          .singleElement()
          .asString()
          .contains("hanging")
          .endsWith("timed out");
      assertThat(took).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aPodThatRefusesConnectionsIsAFailure() {
    PodEndpoint gone = new PodEndpoint("gone", "127.0.0.1", LocalProcess.freePort());
    QueueReading reading = read("flux_queue_depth", gone);
    assertThat(reading.failed()).isTrue();
    assertThat(reading.toReading().failed()).isTrue();
    assertThat(reading.failures()).singleElement().asString().startsWith("gone (http://127.0.0.1:");
  }

  @Test
  void aPageWithoutTheMetricNamesIt() {
    try (LoopbackServer a = LoopbackServer.serving(() -> "other_metric 1\n")) {
      QueueReading reading = read("flux_queue_depth", a.endpoint("a"));
      assertThat(reading.failures())
          .singleElement()
          .asString()
          .contains("no sample of flux_queue_depth");
    }
  }

  @Test
  void noReadyPodsIsAFailedReadingSoTheScalerHolds() {
    QueueReading reading = read("flux_queue_depth");
    assertThat(reading.toReading())
        .isEqualTo(Reading.failed("no ready pods to read the queue from"));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
