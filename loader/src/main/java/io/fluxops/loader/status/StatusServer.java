package io.fluxops.loader.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fluxops.loader.json.JsonText;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code GET /status}: the load's progress as JSON, which the operator reads into {@code
 * status.modelCache}; {@code GET /healthz}. One thread: the operator polls every few seconds.
 */
public final class StatusServer implements AutoCloseable {
  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes wait on delayed ACKs.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;

  public StatusServer(String address, int port, Progress progress) throws IOException {
    server = HttpServer.create(new InetSocketAddress(address, port), 16);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "status");
              t.setDaemon(true);
              return t;
            }));
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET")) {
              send(exchange, 405, "{\"error\":\"only GET\"}");
            } else if (path.equals("/status")) {
              send(exchange, 200, JsonText.write(progress.document()));
            } else if (path.equals("/healthz")) {
              send(exchange, 200, "{\"status\":\"ok\"}");
            } else {
              send(exchange, 404, "{\"error\":\"not found: /status, /healthz\"}");
            }
          }
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
