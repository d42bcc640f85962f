package io.fluxops.metering.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fluxops.metering.config.Config;
import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.metrics.MeteringMetrics;
import io.fluxops.metering.metrics.MeteringMetrics.RejectReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the sidecar shows the cluster, on the pod IP: {@code /metrics} for Prometheus, {@code
 * /healthz} and {@code /readyz} for the kubelet, {@code /status} for the operator. All of it
 * read-only: counts are taken only on the loopback {@link UsageServer}.
 */
public final class StatusServer {
  /**
   * Handler threads. The answers take microseconds; the threads are for clients that send their
   * request slowly, each of which holds one until it is done or {@link
   * ServerLimits#REQUEST_DEADLINE} cuts it off.
   */
  private static final int THREADS = 16;

  /** A sync this slow means a hung volume: fail liveness, so the kubelet restarts the container. */
  private static final Duration STALLED_COMMIT = Duration.ofSeconds(30);

  private final Listener listener;
  private final Journal journal;
  private volatile boolean ready;

  /**
   * Binds the port; serves nothing until {@link #start()}.
   *
   * @param status renders {@code /status} at request time
   */
  public StatusServer(
      Config config, Journal journal, MeteringMetrics metrics, Supplier<Map<String, Object>> status)
      throws IOException {
    this.journal = journal;
    InetSocketAddress address = new InetSocketAddress(config.listenAddress(), config.listenPort());
    if (address.isUnresolved()) {
      throw new UnknownHostException(config.listenAddress());
    }
    this.listener = new Listener(address, "http", THREADS);
    listener.handle(
        "/metrics",
        get(
            "/metrics",
            ex -> Exchanges.send(ex, 200, "text/plain; version=0.0.4", metrics.scrape())));
    listener.handle("/healthz", get("/healthz", ex -> probe(ex, liveProblem())));
    listener.handle("/readyz", get("/readyz", ex -> probe(ex, readyProblem())));
    listener.handle("/status", get("/status", ex -> Exchanges.json(ex, 200, status.get())));
    listener.handle("/v1/licenses/models/", new ElsewhereHandler(metrics));
    listener.handle(
        "/",
        exchange -> {
          try (exchange) {
            notFound(exchange);
          }
        });
  }

  public void start() {
    listener.start();
    ready = true;
  }

  /** The bound port; differs from the configured one when that was 0. */
  public int port() {
    return listener.port();
  }

  /** From now on {@code /readyz} answers 503: the sidecar is stopping. */
  public void unready() {
    ready = false;
  }

  /** Stops serving, after the requests in progress (up to {@code grace}). */
  public void stop(Duration grace) throws InterruptedException {
    ready = false;
    listener.stop(grace);
  }

  private Optional<String> liveProblem() {
    Duration stalled = journal.commitRunning();
    if (stalled.compareTo(STALLED_COMMIT) > 0) {
      return Optional.of("journal sync stalled for " + stalled.toSeconds() + " s");
    }
    return journal.failure().map(f -> "journal failed: " + f);
  }

  /**
   * Not ready while counts cannot be taken: the pod then leaves its Service, and serves no images
   * that could not be counted. A damaged journal or a full volume is not a liveness failure: a
   * restart would find the same damage, or the same full volume.
   */
  private Optional<String> readyProblem() {
    if (!ready) {
      return Optional.of("shutting down");
    }
    return liveProblem()
        .or(journal::damage)
        .or(() -> journal.full().map(f -> "journal full: " + f));
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

  static void notFound(HttpExchange exchange) throws IOException {
    Exchanges.detail(exchange, 404, "not found");
  }

  /** A count posted to the pod IP: refused, with where to post instead. */
  private static final class ElsewhereHandler implements HttpHandler {
    private final MeteringMetrics metrics;

    ElsewhereHandler(MeteringMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        metrics.requestRejected(RejectReason.NOT_LOCAL);
        Exchanges.detail(
            exchange,
            403,
            "usage is taken only from inside the pod: post to FLUXOPS_USAGE_URL"
                + " (http://127.0.0.1:<usage port>/v1/licenses/models/<slug>/usage)");
      }
    }
  }
}
