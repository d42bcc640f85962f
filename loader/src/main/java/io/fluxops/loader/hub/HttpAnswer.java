package io.fluxops.loader.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Optional;

/**
 * One HTTP answer: status, headers and, for a {@code GET}, the body to stream. Closing it returns
 * the connection to the JDK's keep-alive pool when the body was read to its end, and drops it
 * otherwise.
 */
final class HttpAnswer implements AutoCloseable {
  private final URI uri;
  private final HttpURLConnection connection;
  private final int status;
  private boolean finished;

  HttpAnswer(URI uri, HttpURLConnection connection, int status) {
    this.uri = uri;
    this.connection = connection;
    this.status = status;
  }

  URI uri() {
    return uri;
  }

  int status() {
    return status;
  }

  /** A header, by case-insensitive name. */
  Optional<String> header(String name) {
    return Optional.ofNullable(connection.getHeaderField(name)).map(String::strip);
  }

  /** The body of a 2xx answer. */
  InputStream body() throws IOException {
    return connection.getInputStream();
  }

  /** The start of an error body, for a message; empty when there is none. */
  String errorText() {
    try (InputStream in = connection.getErrorStream()) {
      if (in == null) {
        return "";
      }
      byte[] head = in.readNBytes(512);
      return new String(head, java.nio.charset.StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** Marks the body as read to its end, so that close keeps the connection alive. */
  void finished() {
    finished = true;
  }

  @Override
  public void close() {
    if (!finished) {
      connection.disconnect();
      return;
    }
    try {
      connection.getInputStream().close();
    } catch (IOException e) {
      connection.disconnect();
    }
  }
}
