package io.fluxops.metering.http;

import com.sun.net.httpserver.HttpExchange;
import io.fluxops.metering.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Small helpers for reading requests and writing answers with the JDK's HTTP server. */
final class Exchanges {
  private Exchanges() {}

  /**
   * The body, or empty when it is longer than {@code limit} bytes: a stated Content-Length is
   * checked before reading, a chunked body while reading.
   */
  static byte[] body(HttpExchange exchange, int limit) throws IOException, TooLarge {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > limit) {
      throw new TooLarge();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    byte[] chunk = new byte[512];
    try (InputStream in = exchange.getRequestBody()) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (out.size() + n > limit) {
          throw new TooLarge();
        }
        out.write(chunk, 0, n);
      }
    }
    return out.toByteArray();
  }

  /** Thrown when a body is over the limit. */
  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super(null, null, false, false);
    }
  }

  static void json(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
    send(exchange, status, "application/json", Json.write(body));
  }

  /** An error in BFL's shape: {@code {"detail": "..."}}. */
  static void detail(HttpExchange exchange, int status, String detail) throws IOException {
    json(exchange, status, Map.of("detail", detail));
  }

  static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    // -1 tells the JDK server "no body"; 0 would mean "chunked".
    exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }
}
