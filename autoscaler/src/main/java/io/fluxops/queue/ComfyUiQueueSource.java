package io.fluxops.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code comfyui} source: each ready pod's {@code GET /prompt}, whose answer is {@code
 * {"exec_info": {"queue_remaining": N}}}, summed. ComfyUI counts the running prompt in {@code
 * queue_remaining}, so N is queued plus running, as the target expects.
 */
public final class ComfyUiQueueSource implements QueueSource {

  /** ComfyUI's queue endpoint. */
  public static final String PATH = "/prompt";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<List<PodEndpoint>> pods;
  private final PodScraper scraper;

  /** A source reading the pods {@code pods} lists at each read, with the shared scraper. */
  public ComfyUiQueueSource(Supplier<List<PodEndpoint>> pods, PodScraper scraper) {
    this.pods = Objects.requireNonNull(pods, "pods");
    this.scraper = Objects.requireNonNull(scraper, "scraper");
  }

  @Override
  public QueueReading read() {
    return scraper.scrape(pods.get(), PATH, ComfyUiQueueSource::queueRemaining);
  }

  /** {@code exec_info.queue_remaining} of a {@code /prompt} answer. */
  static double queueRemaining(String body) throws QueueFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new QueueFormatException("answer is not JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode remaining = root == null ? null : root.path("exec_info").get("queue_remaining");
    if (remaining == null || !remaining.isNumber() || remaining.asDouble() < 0) {
      throw new QueueFormatException(
          "answer has no exec_info.queue_remaining number; is this ComfyUI's /prompt?");
    }
    return remaining.asDouble();
  }
}
