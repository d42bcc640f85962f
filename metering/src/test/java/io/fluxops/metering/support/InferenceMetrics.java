package io.fluxops.metering.support;

import com.sun.net.httpserver.HttpServer;
import io.fluxops.metering.http.ServerLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** An inference server's {@code /metrics} on loopback, with a counter the test sets. */
public final class InferenceMetrics implements AutoCloseable {
  static {
    // As in production, where the sidecar's own server is the process's first: the JDK reads
    // these limits once.
    ServerLimits.apply();
  }

  private final HttpServer server;
  private volatile String body = "";

  private InferenceMetrics() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  public static InferenceMetrics start() throws IOException {
    return new InferenceMetrics();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  /** Sets the images counter, split over two label sets as real servers do. */
  public void imagesGenerated(long textToImage, long kontext) {
    body =
        "# TYPE flux_images_generated_total counter\n"
            + "flux_images_generated_total{pipeline=\"t2i\"} "
            + textToImage
            + "\n"
            + "flux_images_generated_total{pipeline=\"kontext\"} "
            + kontext
            + "\n"
            + "flux_queue_depth 2\n";
  }

  /** Serves a page without the counter. */
  public void withoutCounter() {
    body = "flux_queue_depth 2\n";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
