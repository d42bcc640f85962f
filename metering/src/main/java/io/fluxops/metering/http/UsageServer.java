package io.fluxops.metering.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.fluxops.metering.config.Config;
import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.metrics.MeteringMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The sidecar's HTTP server (the JDK's own): the usage endpoint, {@code /metrics}, {@code
 * /healthz}, {@code /readyz} and {@code /status}.
 */
public final class UsageServer {
  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK: every answer waits ~40 ms. Read once, when the first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /**
   * Handler threads. A POST holds its thread until its fsync, and the POSTs waiting together share
   * one fsync; 8 is more concurrency than one GPU's inference server produces, and each thread
   * costs memory.
   */
  private static final int THREADS = 8;

  /** A sync this slow means a hung volume: fail liveness, so the kubelet restarts the container. */
  private static final Duration STALLED_COMMIT = Duration.ofSeconds(30);

  private final HttpServer server;
  private final ExecutorService executor;
  private final Journal journal;
  private volatile boolean ready;

  /**
   * Binds the port; serves nothing until {@link #start()}.
   *
   * @param status renders {@code /status} at request time
   */
  public UsageServer(
      Config config, Journal journal, MeteringMetrics metrics, Supplier<Map<String, Object>> status)
      throws IOException {
    this.journal = journal;
    this.server =
        HttpServer.create(new InetSocketAddress(config.listenAddress(), config.listenPort()), 128);
    AtomicInteger count = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            THREADS, r -> new Thread(r, "http-" + count.incrementAndGet()));
    server.setExecutor(executor);
    server.createContext("/v1/licenses/models/", new UsageHandler(config, journal, metrics));
    server.createContext(
        "/metrics",
        get(
            "/metrics",
            ex -> Exchanges.send(ex, 200, "text/plain; version=0.0.4", metrics.scrape())));
    server.createContext("/healthz", get("/healthz", ex -> probe(ex, liveProblem())));
    server.createContext("/readyz", get("/readyz", ex -> probe(ex, readyProblem())));
    server.createContext("/status", get("/status", ex -> Exchanges.json(ex, 200, status.get())));
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            notFound(exchange);
          }
        });
  }

  public void start() {
    server.start();
    ready = true;
  }

  /** The bound port; differs from the configured one when that was 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops taking requests. Requests already being handled finish first (up to {@code
   * graceSeconds}), so that a client waiting for its fsync gets its 200; a request that arrives now
   * is dropped before anything is recorded.
   */
  public void stop(int graceSeconds) throws InterruptedException {
    ready = false;
    executor.shutdown();
    executor.awaitTermination(graceSeconds, TimeUnit.SECONDS);
    // HttpServer.stop(n) always waits the full n seconds; the handlers are done already.
    server.stop(0);
  }

  private Optional<String> liveProblem() {
    Duration stalled = journal.commitRunning();
    if (stalled.compareTo(STALLED_COMMIT) > 0) {
      return Optional.of("journal sync stalled for " + stalled.toSeconds() + " s");
    }
    return journal.failure().map(f -> "journal failed: " + f);
  }

  private Optional<String> readyProblem() {
    return ready ? liveProblem() : Optional.of("shutting down");
  }

  private static void probe(HttpExchange exchange, Optional<String> problem) throws IOException {
    if (problem.isPresent()) {
      Exchanges.send(exchange, 503, "text/plain", problem.get() + "\n");
    } else {
      Exchanges.send(exchange, 200, "text/plain", "ok\n");
    }
  }

  private interface Responder {
    void respond(HttpExchange exchange) throws IOException;
  }

  /** A read-only endpoint at exactly {@code path}, for GET and HEAD. */
  private static HttpHandler get(String path, Responder responder) {
    return exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getRawPath().equals(path)) {
          notFound(exchange);
        } else if (!exchange.getRequestMethod().equals("GET")
            && !exchange.getRequestMethod().equals("HEAD")) {
          exchange.getResponseHeaders().set("Allow", "GET, HEAD");
          Exchanges.detail(exchange, 405, "only GET is allowed here");
        } else {
          responder.respond(exchange);
        }
      }
    };
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    Exchanges.detail(exchange, 404, "not found");
  }
}
