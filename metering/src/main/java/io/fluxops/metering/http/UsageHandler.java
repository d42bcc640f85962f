package io.fluxops.metering.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fluxops.metering.config.Config;
import io.fluxops.metering.config.CountingMode;
import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.journal.JournalException;
import io.fluxops.metering.metrics.MeteringMetrics;
import io.fluxops.metering.metrics.MeteringMetrics.RejectReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/licenses/models/{slug}/usage}: BFL's endpoint, answered locally. A 200 means the
 * count is fsynced in the journal; any other answer means nothing was recorded.
 */
final class UsageHandler implements HttpHandler {
  private static final Pattern PATH = Pattern.compile("/v1/licenses/models/([^/]+)/usage/?");
  private static final int MAX_BODY_BYTES = 1024;
  private static final int MAX_ECHO = 64;

  private final Config config;
  private final Journal journal;
  private final MeteringMetrics metrics;

  UsageHandler(Config config, Journal journal, MeteringMetrics metrics) {
    this.config = config;
    this.journal = journal;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    try (exchange) {
      RequestRejected rejected = check(exchange);
      if (rejected != null) {
        reject(exchange, rejected);
        return;
      }
      long images;
      try {
        images = UsageRequest.parse(text(exchange));
      } catch (UsageRequest.Rejection e) {
        reject(exchange, e.rejected());
        return;
      }
      if (record(exchange, images)) {
        metrics.requestAccepted(System.nanoTime() - start);
      }
    }
  }

  /** Checks everything but the body; null when the request may go on. */
  private RequestRejected check(HttpExchange exchange) {
    // The server listens on loopback only; this holds even if that ever changes.
    if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
      return new RequestRejected(
          403, RejectReason.NOT_LOCAL, "usage is taken only from inside the pod");
    }
    Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
    if (!path.matches()) {
      return new RequestRejected(
          404, RejectReason.NOT_FOUND, "not found; POST usage to " + usagePath());
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      exchange.getResponseHeaders().set("Allow", "POST");
      return new RequestRejected(405, RejectReason.METHOD_NOT_ALLOWED, "only POST is allowed here");
    }
    if (!path.group(1).equals(config.model().slug())) {
      return new RequestRejected(
          400,
          RejectReason.UNKNOWN_MODEL,
          "this sidecar meters " + config.model().slug() + ", not '" + echo(path.group(1)) + "'");
    }
    if (config.counting() != CountingMode.RELAY) {
      return new RequestRejected(
          409,
          RejectReason.COUNTING_MODE,
          "this sidecar counts images "
              + switch (config.counting()) {
                case METRIC -> "from the server's metric";
                case COMFYUI -> "from ComfyUI's history";
                default -> "in the server's responses";
              }
              + "; a POSTed count would be counted twice");
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null && !isJson(type)) {
      return new RequestRejected(
          415, RejectReason.UNSUPPORTED_MEDIA_TYPE, "send Content-Type: application/json");
    }
    return null;
  }

  /**
   * Exactly {@code application/json}, with at most a UTF-8 charset: {@code application/json5} or
   * {@code application/json-patch+json} are other formats.
   */
  static boolean isJson(String contentType) {
    String[] parts = contentType.split(";");
    if (!parts[0].strip().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
      if (!parameter.isEmpty() && !parameter.equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }

  /** What an error may quote of a request: its start, without control characters. */
  static String echo(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= MAX_ECHO ? clean : clean.substring(0, MAX_ECHO) + "…";
  }

  private String text(HttpExchange exchange) throws IOException, UsageRequest.Rejection {
    byte[] body;
    try {
      body = Exchanges.body(exchange, MAX_BODY_BYTES);
    } catch (Exchanges.TooLarge e) {
      throw new UsageRequest.Rejection(
          new RequestRejected(
              413, RejectReason.TOO_LARGE, "the body is larger than " + MAX_BODY_BYTES + " bytes"));
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw new UsageRequest.Rejection(
          new RequestRejected(400, RejectReason.MALFORMED, "the body is not UTF-8"));
    }
  }

  /** Records and answers; true when the answer was 200. */
  private boolean record(HttpExchange exchange, long images) throws IOException {
    try {
      journal.accept(images);
    } catch (JournalException e) {
      reject(exchange, unavailable(e.getMessage()));
      return false;
    }
    Exchanges.json(exchange, 200, Map.of("message", "Usage recorded successfully"));
    return true;
  }

  private static RequestRejected unavailable(String why) {
    return new RequestRejected(
        503,
        RejectReason.UNAVAILABLE,
        "the count was not recorded: journal unavailable (" + why + ")");
  }

  private void reject(HttpExchange exchange, RequestRejected rejected) throws IOException {
    metrics.requestRejected(rejected.reason());
    Exchanges.detail(exchange, rejected.status(), rejected.detail());
  }

  private String usagePath() {
    return Config.usagePath(config.model());
  }
}
