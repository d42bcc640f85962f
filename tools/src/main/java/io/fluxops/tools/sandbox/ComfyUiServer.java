package io.fluxops.tools.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxops.metering.support.ComfyUiStandIn;
import io.fluxops.metering.support.ComfyWorkflows;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SIMULATED: ComfyUI in one pod, {@code counting: comfyui}. The server is the metering module's
 * ComfyUI stand-in (ComfyUI's HTTP API as its source answers it: {@code POST /prompt}, {@code GET
 * /prompt}'s queue, {@code /history}), listening where the operator told ComfyUI to; each prompt
 * holds the pod's GPU for one image. Its clients queue workflows with {@code POST /prompt} on the
 * pod's serving port, as ComfyUI's users do: one {@code EmptyImage -> SaveImage} workflow per
 * image, each with a seed of its own (ComfyUI would serve a repeated workflow from its cache and
 * save nothing). The sidecar reads ComfyUI's history for the saved images; the autoscaler reads
 * ComfyUI's queue.
 */
final class ComfyUiServer implements StandInServer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ComfyUiStandIn comfy;
  private final HttpClient clients;
  private final AtomicInteger posting = new AtomicInteger();
  private final AtomicLong seeds = new AtomicLong();
  private final AtomicBoolean accepting = new AtomicBoolean(true);

  ComfyUiServer(InetSocketAddress listen, Duration perImage, HttpClient clients)
      throws IOException {
    this.clients = clients;
    comfy = ComfyUiStandIn.start(listen);
    comfy.workPerPrompt(perImage);
  }

  @Override
  public boolean submit() {
    if (!accepting.get()) {
      return false;
    }
    String body;
    try {
      body =
          JSON.writeValueAsString(
              Map.of(
                  "prompt",
                  ComfyWorkflows.save(1, seeds.incrementAndGet()),
                  "client_id",
                  "fluxops-sandbox"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(comfy.url().resolve("/prompt"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    posting.incrementAndGet();
    clients
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, failure) -> posting.decrementAndGet());
    return true;
  }

  /** Prompts being posted, pending and running: what {@code GET /prompt} counts, and the posts. */
  @Override
  public int queueDepth() {
    return posting.get() + comfy.queueRemaining();
  }

  /** Images ComfyUI saved ({@code type: output}): what the meter must find in its history. */
  @Override
  public long generated() {
    return comfy.savedImages();
  }

  @Override
  public void stopAccepting() {
    accepting.set(false);
  }

  @Override
  public void close() {
    comfy.close();
  }
}
