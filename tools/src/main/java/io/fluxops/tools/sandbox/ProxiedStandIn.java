package io.fluxops.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SIMULATED: an inference server behind the pod's metering sidecar ({@code counting: proxy}). It
 * listens where the operator told it to (the pod's loopback port behind the sidecar) and answers
 * once the pod's one GPU has made the image, as its {@link Api} is documented; the image's bytes
 * are a few placeholder bytes, not a PNG. Its clients send their requests to the pod's serving
 * port, which the sidecar holds, as every client of the Service does.
 */
final class ProxiedStandIn implements StandInServer {

  /** The APIs a proxying sidecar counts ({@code FLUXOPS_SERVER_API}). */
  enum Api {
    /**
     * NVIDIA's visual GenAI NIMs (docs.nvidia.com/nim/visual-genai): {@code GET /v1/health/ready},
     * and {@code POST /v1/infer} with {@code {"prompt", "mode": "base", "seed", "steps"}} answering
     * {@code {"artifacts": [{"base64", "finishReason": "SUCCESS", "seed"}]}}. The health answer's
     * body is not documented: a small JSON.
     */
    NIM("/v1/health/ready", "/v1/infer") {
      @Override
      String request(long seed) {
        return "{\"prompt\": \"a lighthouse at dusk, request "
            + seed
            + "\", \"mode\": \"base\", \"seed\": "
            + seed
            + ", \"steps\": 50}";
      }

      @Override
      String answer(long seed) {
        return "{\"artifacts\": [{\"base64\": \"U0lNVUxBVEVE\", \"finishReason\": \"SUCCESS\","
            + " \"seed\": "
            + seed
            + "}]}";
      }
    },
    /**
     * OpenAI-style image servers such as vLLM-Omni: {@code GET /health}, and {@code POST
     * /v1/images/generations} with {@code {"prompt", "n", "response_format": "b64_json"}} answering
     * {@code {"created", "data": [{"b64_json"}]}}, one entry per image.
     */
    OPENAI("/health", "/v1/images/generations") {
      @Override
      String request(long seed) {
        return "{\"prompt\": \"a lighthouse at dusk, request "
            + seed
            + "\", \"n\": 1, \"size\": \"1024x1024\", \"response_format\": \"b64_json\"}";
      }

      @Override
      String answer(long seed) {
        return "{\"created\": "
            + System.currentTimeMillis() / 1000
            + ", \"data\": [{\"b64_json\": \"U0lNVUxBVEVE\"}]}";
      }
    };

    final String healthPath;
    final String generatePath;

    Api(String healthPath, String generatePath) {
      this.healthPath = healthPath;
      this.generatePath = generatePath;
    }

    /** A client's request for one image. */
    abstract String request(long seed);

    /** The server's answer carrying the one image. */
    abstract String answer(long seed);

    /** The API as {@code FLUXOPS_SERVER_API} names it. */
    static Api of(String value) {
      return switch (value) {
        case "nim" -> NIM;
        case "openai" -> OPENAI;
        default ->
            throw new IllegalArgumentException(
                "no stand-in for the proxied server API '" + value + "' (nim, openai)");
      };
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Api api;
  private final HttpServer server;
  private final Duration perImage;
  private final URI generate;
  private final HttpClient clients;
  private final Semaphore gpu = new Semaphore(1, true);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong generated = new AtomicLong();
  private final AtomicLong seeds = new AtomicLong();
  private final AtomicBoolean accepting = new AtomicBoolean(true);

  /**
   * @param listen where the server listens (its port on the pod's loopback)
   * @param serving where clients send requests: the pod's serving port, the sidecar's proxy
   */
  ProxiedStandIn(
      Api api, InetSocketAddress listen, URI serving, Duration perImage, HttpClient clients)
      throws IOException {
    this.api = api;
    this.perImage = perImage;
    this.generate = serving.resolve(api.generatePath);
    this.clients = clients;
    server = HttpServer.create(listen, 64);
    // A thread per request waiting for the GPU, as the server's HTTP front holds each request.
    server.setExecutor(
        Executors.newCachedThreadPool(Threads.daemon("sandbox-server-" + listen.getPort())));
    server.createContext(api.healthPath, this::ready);
    server.createContext(api.generatePath, this::generate);
    server.start();
  }

  static InetSocketAddress at(String ip, int port) throws IOException {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  @Override
  public boolean submit() {
    if (!accepting.get()) {
      return false;
    }
    HttpRequest request =
        HttpRequest.newBuilder(generate)
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(api.request(seeds.incrementAndGet())))
            .build();
    inFlight.incrementAndGet();
    clients
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, failure) -> inFlight.decrementAndGet());
    return true;
  }

  /** Requests the clients sent and have no answer to yet. */
  @Override
  public int queueDepth() {
    return inFlight.get();
  }

  /** Images answered to the sidecar. */
  @Override
  public long generated() {
    return generated.get();
  }

  @Override
  public void stopAccepting() {
    accepting.set(false);
  }

  private void ready(HttpExchange exchange) throws IOException {
    try (exchange) {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      answer(exchange, 200, "{\"status\": \"ready\"}");
    }
  }

  private void generate(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        answer(exchange, 405, "{\"detail\": \"Method Not Allowed\"}");
        return;
      }
      JsonNode request;
      try (InputStream in = exchange.getRequestBody()) {
        request = JSON.readTree(in);
      } catch (IOException e) {
        answer(exchange, 422, "{\"detail\": \"the body is not JSON\"}");
        return;
      }
      if (request == null || !request.path("prompt").isTextual()) {
        answer(exchange, 422, "{\"detail\": \"prompt is required\"}");
        return;
      }
      gpu.acquire();
      try {
        // The simulated GPU time: one image at a time on the pod's one GPU.
        TimeUnit.NANOSECONDS.sleep(perImage.toNanos());
      } finally {
        gpu.release();
      }
      answer(exchange, 200, api.answer(request.path("seed").asLong(0)));
      // Counted once delivered to the sidecar: an answer that did not get out is no image.
      generated.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void answer(HttpExchange exchange, int code, String json) throws IOException {
    HttpAnswers.send(exchange, code, HttpAnswers.JSON, json);
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
