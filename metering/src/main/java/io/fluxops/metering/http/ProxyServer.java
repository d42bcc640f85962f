package io.fluxops.metering.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.fluxops.metering.config.Config;
import io.fluxops.metering.counting.ImageCounter;
import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.journal.JournalException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code counting: proxy}: the sidecar serves the pod's serving port and forwards every request to
 * the inference server on localhost, streaming both ways. Images in a successful response of a
 * generating request are counted and journalled before the last chunk of that response leaves, so a
 * crash never loses an image that was delivered (and counts at most the responses in flight at that
 * moment without their last chunk). A response cut off, or not of the API's shape, counts nothing.
 */
public final class ProxyServer {
  private static final System.Logger LOG = System.getLogger(ProxyServer.class.getName());

  /**
   * Handler threads at most. A request holds one for as long as the server takes to answer, and one
   * that waited for a thread would count against the request deadline (ServerLimits: the JDK server
   * starts that clock when the connection has a request, before a thread reads it), so a request
   * queued behind generations longer than 5 s would be cut off. So every open connection may have a
   * thread (twice their number: a finished exchange's thread may not have returned when its
   * connection's next request comes); they start with the load and stop after it.
   */
  private static final int THREADS = 2 * ServerLimits.MAX_CONNECTIONS;

  /**
   * Bytes read from one side and written to the other at a time. The JDK server copies each write
   * into a buffer of its connection that it grows to twice the largest write and keeps for the
   * connection's life, and the JDK's socket reads keep a direct buffer of the largest read per
   * thread: 64 KiB chunks saved no measurable CPU per answer and cost 9 MiB more at 100 concurrent
   * (BENCHMARKS.md, "Proxy counting").
   */
  private static final int CHUNK = 16 * 1024;

  /**
   * Two chunks for each body streaming now (the hold-back needs the chunk before the last), eight
   * pairs (256 KiB) kept between bodies: requests waiting for the server hold none.
   */
  private static final ChunkBuffers BUFFERS = new ChunkBuffers(CHUNK, 8);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Longer than any one generation; a server silent for this long is taken for dead. */
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length");

  private final Listener listener;
  private final Config.Proxy proxy;
  private final Journal journal;
  private final AtomicInteger inFlight = new AtomicInteger();

  public ProxyServer(Config config, Journal journal) throws IOException {
    this.proxy = config.proxy().orElseThrow();
    this.journal = journal;
    this.listener =
        Listener.elastic(
            new InetSocketAddress(config.listenAddress(), proxy.port()), "proxy", THREADS);
    listener.handle("/", this::forward);
  }

  public void start() {
    listener.start();
  }

  /** The bound port; differs from the configured one when that was 0. */
  public int port() {
    return listener.port();
  }

  /** Requests being forwarded now: the queue depth of the server behind. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Stops taking requests; those in progress get up to {@code grace} to finish. */
  public void stop(Duration grace) throws InterruptedException {
    listener.stop(grace);
  }

  /**
   * An answer that fails on its way (cut off, not recorded, the client gone) leaves the handler by
   * its exception with the exchange still open, and the JDK server then drops the connection.
   * Closing the exchange instead would end a chunked body with its last chunk, and the client would
   * take the part it got for a whole answer.
   */
  private void forward(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    try {
      HttpURLConnection upstream;
      try {
        upstream = send(exchange);
      } catch (SocketTimeoutException e) {
        Exchanges.detail(exchange, 504, "the inference server did not answer: " + e.getMessage());
        exchange.close();
        return;
      } catch (IOException e) {
        Exchanges.detail(exchange, 502, "the inference server cannot be reached: " + e);
        exchange.close();
        return;
      }
      answer(exchange, upstream);
      exchange.close();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Sends the request on, body streamed; returns once the server's status line is in. */
  private HttpURLConnection send(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    String target =
        proxy.upstream()
            + uri.getRawPath()
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpURLConnection upstream = (HttpURLConnection) URI.create(target).toURL().openConnection();
    upstream.setInstanceFollowRedirects(false);
    upstream.setUseCaches(false);
    upstream.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
    upstream.setReadTimeout((int) READ_TIMEOUT.toMillis());
    upstream.setRequestMethod(method);
    boolean counted = proxy.api().generates(method, uri.getPath());
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      // A compressed answer could not be counted: generating requests ask for it plain.
      if (HOP_BY_HOP.contains(name) || (counted && name.equals("accept-encoding"))) {
        continue;
      }
      for (String value : header.getValue()) {
        upstream.addRequestProperty(header.getKey(), value);
      }
    }
    upstream.setRequestProperty(
        "X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress());
    long length = contentLength(exchange.getRequestHeaders());
    boolean chunked =
        String.valueOf(exchange.getRequestHeaders().getFirst("Transfer-Encoding"))
            .toLowerCase(Locale.ROOT)
            .contains("chunked");
    if (length > 0 || chunked) {
      upstream.setDoOutput(true);
      if (length > 0) {
        upstream.setFixedLengthStreamingMode(length);
      } else {
        upstream.setChunkedStreamingMode(16 * 1024);
      }
      try (InputStream in = exchange.getRequestBody();
          OutputStream out = upstream.getOutputStream()) {
        copy(in, out);
      }
    }
    upstream.getResponseCode();
    return upstream;
  }

  private void answer(HttpExchange exchange, HttpURLConnection upstream) throws IOException {
    int status = upstream.getResponseCode();
    InputStream body = status >= 400 ? upstream.getErrorStream() : upstream.getInputStream();
    Headers headers = exchange.getResponseHeaders();
    for (Map.Entry<String, List<String>> header : upstream.getHeaderFields().entrySet()) {
      if (header.getKey() == null
          || HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      headers.put(header.getKey(), header.getValue());
    }
    long length = upstream.getContentLengthLong();
    boolean noBody =
        body == null
            || exchange.getRequestMethod().equals("HEAD")
            || status == 204
            || status == 304
            || length == 0;
    // The JDK server: -1 means no body, 0 means chunked.
    exchange.sendResponseHeaders(status, noBody ? -1 : Math.max(length, 0));
    if (noBody) {
      if (body != null) {
        body.close();
      }
      return;
    }
    URI uri = exchange.getRequestURI();
    boolean counted =
        status == 200
            && proxy.api().generates(exchange.getRequestMethod(), uri.getPath())
            && String.valueOf(upstream.getContentType()).toLowerCase(Locale.ROOT).contains("json");
    try (InputStream in = body) {
      OutputStream out = exchange.getResponseBody();
      if (!counted) {
        copy(in, out);
        out.close();
        return;
      }
      deliverCounted(in, out, length);
    }
  }

  /**
   * Streams a generating request's answer, counting its images on the way, and journals them before
   * the last chunk goes. Throwing without closing {@code out} makes the JDK server drop the
   * connection, so that the client sees a broken answer instead of a whole one.
   */
  private void deliverCounted(InputStream in, OutputStream out, long length) throws IOException {
    byte[][] buffers = BUFFERS.take();
    try {
      HoldBack stream = new HoldBack(in, out, length, buffers);
      ImageCounter counter = new ImageCounter(proxy.api());
      // An answer not of the API's shape stops the counter early: the client still gets all of it.
      stream.pump(counter::feed);
      OptionalLong images = counter.images();
      if (!stream.complete()) {
        throw new IOException("the inference server's answer was cut off; nothing counted");
      }
      if (images.isPresent() && images.getAsLong() > 0) {
        try {
          journal.accept(images.getAsLong());
        } catch (JournalException e) {
          LOG.log(
              Level.ERROR, "images delivered uncounted would break the licence: " + e.getMessage());
          throw new IOException("the images could not be recorded; the answer is withheld", e);
        }
      } else if (images.isEmpty()) {
        LOG.log(
            Level.WARNING, "an answer not of the " + proxy.api().value() + " shape: not counted");
      }
      stream.release();
    } finally {
      // The held chunk is in these buffers: they go back only once it has been written.
      BUFFERS.give(buffers);
    }
    out.close();
  }

  /** {@code in.transferTo(out)} through a pooled buffer instead of a new one per call. */
  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[][] buffers = BUFFERS.take();
    try {
      byte[] buffer = buffers[0];
      int n;
      while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
        out.write(buffer, 0, n);
      }
    } finally {
      BUFFERS.give(buffers);
    }
  }

  private static long contentLength(Headers headers) {
    String value = headers.getFirst("Content-Length");
    if (value == null || !value.strip().matches("\\d{1,18}")) {
      return -1;
    }
    return Long.parseLong(value.strip());
  }
}
