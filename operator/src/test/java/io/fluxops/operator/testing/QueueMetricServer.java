package io.fluxops.operator.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an inference pod's metrics endpoint serves: {@code flux_queue_depth}, on a real HTTP server
 * on loopback. Each pod the fake kubelet runs answers through it; it can also fail.
 */
public final class QueueMetricServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicLong depth = new AtomicLong();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicLong delayMillis = new AtomicLong();

  private QueueMetricServer(HttpServer server) {
    this.server = server;
  }

  public static QueueMetricServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    QueueMetricServer metrics = new QueueMetricServer(server);
    server.createContext(
        "/metrics",
        exchange -> {
          metrics.pause();
          byte[] body =
              ("# TYPE flux_queue_depth gauge\nflux_queue_depth " + metrics.depth.get() + "\n")
                  .getBytes(StandardCharsets.UTF_8);
          try (exchange;
              OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(metrics.status.get(), body.length);
            out.write(body);
          }
        });
    // Many pods are answered at once, and a slow one must not hold up the others.
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return metrics;
  }

  /** Makes every scrape answer only after {@code delay}, like an overloaded pod. */
  public void delay(Duration delay) {
    delayMillis.set(delay.toMillis());
  }

  private void pause() {
    try {
      Thread.sleep(delayMillis.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The queue depth each pod reports. */
  public void depth(long value) {
    depth.set(value);
  }

  /** Makes every scrape answer with this HTTP status. */
  public void status(int code) {
    status.set(code);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
