package io.fluxops.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against JDK HttpServers on loopback answering as ComfyUI's {@code GET /prompt} does. */
class ComfyUiQueueSourceTest {

  private final PodScraper scraper = new PodScraper(Duration.ofMillis(500), 2);

  @AfterEach
  void close() {
    scraper.close();
  }

  @Test
  void sumsQueueRemainingOverPods() {
    try (LoopbackServer a =
            LoopbackServer.start(
                exchange -> {
                  assertThat(exchange.getRequestURI().getPath()).isEqualTo("/prompt");
                  LoopbackServer.respond(
                      exchange, 200, "{\"exec_info\": {\"queue_remaining\": 3}}");
                });
        LoopbackServer b =
            LoopbackServer.serving(() -> "{\"exec_info\":{\"queue_remaining\":0}}")) {
      QueueReading reading =
          new ComfyUiQueueSource(() -> List.of(a.endpoint("a"), b.endpoint("b")), scraper).read();
      assertThat(reading.complete()).isTrue();
      assertThat(reading.depth()).isEqualTo(3);
    }
  }

  @Test
  void anAnswerThatIsNotComfyUisIsAFailure() {
    try (LoopbackServer a = LoopbackServer.serving(() -> "{\"status\": \"ok\"}");
        LoopbackServer b = LoopbackServer.serving(() -> "<html>")) {
      QueueReading reading =
          new ComfyUiQueueSource(() -> List.of(a.endpoint("a"), b.endpoint("b")), scraper).read();
      assertThat(reading.failed()).isTrue();
      assertThat(reading.failures())
          .satisfiesExactly(
              first -> assertThat(first).contains("no exec_info.queue_remaining number"),
              second -> assertThat(second).contains("not JSON"));
    }
  }
}
