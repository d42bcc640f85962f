package io.fluxops.metering.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fluxops.metering.http.ServerLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for BFL's usage endpoint: a real HTTP server on loopback that checks each request
 * exactly as BFL documents it (POST, {@code /v1/licenses/models/<slug>/usage}, {@code x-key},
 * {@code Content-Type: application/json}, {@code {"number_of_generations": n}} with n a positive
 * integer) and answers as told: 200, 400, 403, 429 with Retry-After, 500, a hang, or a dropped
 * connection. It counts only what it answers 200 for (and, for {@link Fault#RECORD_THEN_DROP}, what
 * it recorded before dropping the answer).
 */
public final class BflStandIn implements AutoCloseable {
  static {
    // As in production, where the sidecar's own server is the process's first: the JDK reads
    // these limits once.
    ServerLimits.apply();
  }

  static {
    // As in the sidecar: otherwise Nagle and delayed ACKs add ~40 ms to each answer.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** What to do with the next well-formed request. */
  public enum Fault {
    NONE,
    BAD_REQUEST,
    FORBIDDEN,
    RATE_LIMITED,
    SERVER_ERROR,
    /** Wait without answering until the client gives up, then close; nothing recorded. */
    HANG,
    /** Close the connection without an answer; nothing recorded. */
    DROP,
    /**
     * Answer 200 with a long body, one byte every 100 ms, until the client goes or the hang time
     * has passed; nothing recorded. Each read gets a byte well within any read timeout.
     */
    DRIP,
    /** Record the images, then close without an answer: the case that double-counts. */
    RECORD_THEN_DROP,
    /**
     * Refuse with a plain-text body that quotes the key after 190 characters, so that a message cut
     * at 200 characters would keep the key's start.
     */
    REFUSE_ECHOING_KEY
  }

  private static final Pattern PATH = Pattern.compile("/v1/licenses/models/([^/]+)/usage");
  private static final Pattern BODY =
      Pattern.compile("\\{\\s*\"number_of_generations\"\\s*:\\s*([0-9]+)\\s*}");
  private static final Set<String> SLUGS =
      Set.of("flux-1-dev", "flux-1-kontext-dev", "flux-tools", "flux-1-krea-dev", "flux-2-dev");

  private final HttpServer server;
  private final String scheme;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final List<Long> requestNanos = new CopyOnWriteArrayList<>();
  private final List<Long> batches = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private volatile Set<String> validKeys;
  private volatile Supplier<Fault> faults = () -> Fault.NONE;
  private volatile String retryAfter = "0";
  private volatile Duration hang = Duration.ofSeconds(5);
  private volatile Supplier<Duration> latency = () -> Duration.ZERO;
  private volatile LongConsumer onRecorded = images -> {};

  private BflStandIn(Set<String> validKeys, SSLContext tls) throws IOException {
    this.validKeys = validKeys;
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      this.server = HttpServer.create(loopback, 64);
    } else {
      HttpsServer https = HttpsServer.create(loopback, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      this.server = https;
    }
    this.scheme = tls == null ? "http" : "https";
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a stand-in that accepts {@code keys}. */
  public static BflStandIn start(String... keys) throws IOException {
    return new BflStandIn(Set.of(keys), null);
  }

  /** Starts a stand-in that speaks HTTPS with {@code tls}, as BFL's endpoint does. */
  public static BflStandIn startTls(SSLContext tls, String... keys) throws IOException {
    return new BflStandIn(Set.of(keys), tls);
  }

  /** The base URL, as {@code FLUXOPS_USAGE_ENDPOINT}. */
  public URI endpoint() {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  public BflStandIn acceptKeys(String... keys) {
    this.validKeys = Set.of(keys);
    return this;
  }

  /** Decides the fault for each request (called once per well-formed request). */
  public BflStandIn faults(Supplier<Fault> faults) {
    this.faults = faults;
    return this;
  }

  public BflStandIn retryAfter(String value) {
    this.retryAfter = value;
    return this;
  }

  public BflStandIn hangFor(Duration hang) {
    this.hang = hang;
    return this;
  }

  /** Delays each answer, like BFL's 10–50 ms. */
  public BflStandIn latency(Supplier<Duration> latency) {
    this.latency = latency;
    return this;
  }

  /** Called after images are recorded and before the 200 goes out. */
  public BflStandIn onRecorded(LongConsumer onRecorded) {
    this.onRecorded = onRecorded;
    return this;
  }

  /** Images recorded, as BFL would invoice them. */
  public long recorded() {
    return recorded.get();
  }

  /** Requests received, well-formed or not. */
  public long requests() {
    return requests.get();
  }

  /** {@link System#nanoTime()} at each request's arrival. */
  public List<Long> requestNanos() {
    return List.copyOf(requestNanos);
  }

  /** The count of each recorded report. */
  public List<Long> batches() {
    return List.copyOf(batches);
  }

  /** Every way a request differed from BFL's documented shape. Should stay empty. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    requestNanos.add(System.nanoTime());
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      long images = check(exchange, body);
      if (images < 0) {
        return;
      }
      sleep(latency.get());
      answer(exchange, faults.get(), images);
    }
  }

  /** The count, or -1 after answering a request that is not what BFL documents. */
  private long check(HttpExchange exchange, String body) throws IOException {
    Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
    if (!exchange.getRequestMethod().equals("POST") || !path.matches()) {
      return violation(exchange, 404, "not a POST to the usage path: " + exchange.getRequestURI());
    }
    if (!SLUGS.contains(path.group(1))) {
      return violation(exchange, 400, "unknown model slug " + path.group(1));
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (!"application/json".equals(type)) {
      return violation(exchange, 400, "Content-Type is " + type);
    }
    Matcher count = BODY.matcher(body);
    if (!count.matches() || count.group(1).startsWith("0")) {
      return violation(exchange, 400, "body is not {\"number_of_generations\": n>0}: " + body);
    }
    String key = exchange.getRequestHeaders().getFirst("x-key");
    if (key == null) {
      return violation(exchange, 403, "no x-key header");
    }
    if (!validKeys.contains(key)) {
      send(exchange, 403, "{\"detail\": \"Invalid API key\"}");
      return -1;
    }
    return Long.parseLong(count.group(1));
  }

  private void answer(HttpExchange exchange, Fault fault, long images) throws IOException {
    switch (fault) {
      case NONE -> {
        record(images);
        send(exchange, 200, "{\"message\": \"Usage recorded successfully\"}");
      }
      case BAD_REQUEST -> send(exchange, 400, "{\"detail\": \"Injected bad request\"}");
      case FORBIDDEN -> send(exchange, 403, "{\"detail\": \"Injected forbidden\"}");
      case RATE_LIMITED -> {
        exchange.getResponseHeaders().set("Retry-After", retryAfter);
        send(exchange, 429, "{\"detail\": \"Too many requests\"}");
      }
      case SERVER_ERROR -> send(exchange, 500, "{\"detail\": \"Internal server error\"}");
      case HANG -> {
        awaitClosing(hang);
        throw new DroppedConnection();
      }
      case DROP -> throw new DroppedConnection();
      case DRIP -> drip(exchange);
      case RECORD_THEN_DROP -> {
        record(images);
        throw new DroppedConnection();
      }
      case REFUSE_ECHOING_KEY ->
          send(
              exchange,
              403,
              "x".repeat(190) + " key " + exchange.getRequestHeaders().getFirst("x-key"));
    }
  }

  private void drip(HttpExchange exchange) throws IOException {
    long end = System.nanoTime() + hang.toNanos();
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 100_000);
    OutputStream out = exchange.getResponseBody();
    while (System.nanoTime() < end) {
      out.write(' ');
      out.flush();
      try {
        if (closing.await(100, TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new DroppedConnection();
  }

  private void record(long images) {
    recorded.addAndGet(images);
    batches.add(images);
    onRecorded.accept(images);
  }

  private long violation(HttpExchange exchange, int status, String problem) throws IOException {
    violations.add(problem);
    send(exchange, status, "{\"detail\": \"" + problem.replace("\"", "'") + "\"}");
    return -1;
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void awaitClosing(Duration timeout) {
    try {
      closing.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration duration) {
    if (!duration.isZero()) {
      try {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Thrown out of the handler: the JDK server then closes the connection without an answer, which
   * the client sees as a connection closed mid-exchange.
   */
  private static final class DroppedConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DroppedConnection() {
      super("injected dropped connection", null, false, false);
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
