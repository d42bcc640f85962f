package io.fluxops.queue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** A JDK HttpServer on a loopback port standing in for one pod or exporter. */
final class LoopbackServer implements AutoCloseable {

  /** What the server does with a request. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;

  private LoopbackServer(HttpServer server) {
    this.server = server;
  }

  /** A server answering every path with {@code handler}. */
  static LoopbackServer start(Handler handler) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              handler.handle(exchange);
            }
          });
      server.setExecutor(Executors.newCachedThreadPool());
      server.start();
      return new LoopbackServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server answering 200 with whatever {@code body} gives at the time of the request. */
  static LoopbackServer serving(Supplier<String> body) {
    return start(exchange -> respond(exchange, 200, body.get()));
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  int port() {
    return server.getAddress().getPort();
  }

  PodEndpoint endpoint(String name) {
    return new PodEndpoint(name, "127.0.0.1", port());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
