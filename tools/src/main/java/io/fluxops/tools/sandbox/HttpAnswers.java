package io.fluxops.tools.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** How the sandbox's stand-in HTTP servers answer: one body of known length. */
final class HttpAnswers {

  static final String JSON = "application/json";

  /** Prometheus' text exposition format. */
  static final String PROMETHEUS = "text/plain; version=0.0.4";

  private HttpAnswers() {}

  static void send(HttpExchange exchange, int code, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
