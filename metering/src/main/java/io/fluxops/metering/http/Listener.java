package io.fluxops.metering.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One JDK HTTP server with a handler pool of its own, under {@link ServerLimits}. The sidecar runs
 * one per audience, so that clients of one (a slow scraper, a burst of POSTs waiting for their
 * fsync) never queue the requests of another (the kubelet's probes).
 */
final class Listener {
  static {
    ServerLimits.apply();
  }

  private final HttpServer server;
  private final ExecutorService executor;

  Listener(InetSocketAddress address, String name, int threads) throws IOException {
    this.server = HttpServer.create(address, 128);
    AtomicInteger count = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            threads, r -> new Thread(r, name + "-" + count.incrementAndGet()));
    server.setExecutor(executor);
  }

  void handle(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops taking requests; requests being handled finish first, up to {@code grace}, so that a
   * client waiting for its fsync gets its answer. A request that arrives now gets none.
   */
  void stop(Duration grace) throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    // HttpServer.stop(n) always waits the full n seconds; the handlers are done already.
    server.stop(0);
  }
}
