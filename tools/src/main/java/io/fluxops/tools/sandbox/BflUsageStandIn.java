package io.fluxops.tools.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SIMULATED: a local stand-in for BFL's usage endpoint ({@code POST
 * /v1/licenses/models/{slug}/usage}, header {@code x-key}, body {@code {"number_of_generations":
 * n}}). It answers as BFL does (200, 400 for a bad body, 403 for a wrong key) and counts the images
 * reported per slug, so the sandbox can check that each image was reported once.
 */
final class BflUsageStandIn implements AutoCloseable {

  private static final Pattern PATH = Pattern.compile("/v1/licenses/models/([a-z0-9-]+)/usage");
  private static final Pattern COUNT = Pattern.compile("\"number_of_generations\"\\s*:\\s*(\\d+)");

  private final HttpServer server;
  private final String key;
  private final Map<String, AtomicLong> reported = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();

  BflUsageStandIn(String key) throws IOException {
    this.key = key;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newFixedThreadPool(2, Threads.daemon("sandbox-bfl")));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL, as {@code license.usageEndpoint} would name it. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  long reported(String slug) {
    AtomicLong count = reported.get(slug);
    return count == null ? 0 : count.get();
  }

  Map<String, Long> reportedBySlug() {
    Map<String, Long> copy = new TreeMap<>();
    reported.forEach((slug, count) -> copy.put(slug, count.get()));
    return copy;
  }

  long requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!exchange.getRequestMethod().equals("POST") || !path.matches()) {
        answer(exchange, 404, "{\"detail\":\"Not Found\"}");
        return;
      }
      if (!key.equals(exchange.getRequestHeaders().getFirst("x-key"))) {
        answer(exchange, 403, "{\"detail\":\"Invalid key\"}");
        return;
      }
      Matcher count = COUNT.matcher(body);
      if (!count.find() || Long.parseLong(count.group(1)) < 1) {
        answer(exchange, 400, "{\"detail\":\"number_of_generations must be a positive integer\"}");
        return;
      }
      requests.incrementAndGet();
      reported
          .computeIfAbsent(path.group(1), slug -> new AtomicLong())
          .addAndGet(Long.parseLong(count.group(1)));
      answer(exchange, 200, "{\"message\":\"Usage recorded successfully\"}");
    }
  }

  private static void answer(HttpExchange exchange, int code, String json) throws IOException {
    HttpAnswers.send(exchange, code, HttpAnswers.JSON, json);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
