package io.fluxops.metering.http;

import io.fluxops.metering.json.JsonException;
import io.fluxops.metering.json.JsonParser;
import io.fluxops.metering.metrics.MeteringMetrics.RejectReason;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Reads BFL's usage request body, {@code {"number_of_generations": n}}, strictly: n must be a
 * positive integer written as one. Other members are ignored, as BFL's endpoint ignores them.
 */
final class UsageRequest {
  /** More than any one request could honestly carry; guards the totals against overflow. */
  static final long MAX_IMAGES_PER_REQUEST = 1_000_000;

  static final String FIELD = "number_of_generations";

  private UsageRequest() {}

  /** The count in {@code body}, or the rejection that explains what is wrong with it. */
  static long parse(String body) throws Rejection {
    if (body.isBlank()) {
      throw malformed("the body is empty; send {\"" + FIELD + "\": <positive integer>}");
    }
    Object document;
    try {
      document = JsonParser.parse(body);
    } catch (JsonException e) {
      throw malformed(e.getMessage());
    }
    if (!(document instanceof Map<?, ?> members)) {
      throw malformed("the body must be a JSON object like {\"" + FIELD + "\": 1}");
    }
    if (!members.containsKey(FIELD)) {
      throw invalid(FIELD + " is required");
    }
    if (!(members.get(FIELD) instanceof BigDecimal number)) {
      throw invalid(FIELD + " must be a positive integer, not " + kind(members.get(FIELD)));
    }
    return count(number);
  }

  private static long count(BigDecimal number) throws Rejection {
    if (number.scale() != 0) {
      throw invalid(FIELD + " must be an integer without fraction or exponent, got " + number);
    }
    if (number.signum() <= 0) {
      throw invalid(FIELD + " must be positive, got " + number);
    }
    if (number.compareTo(BigDecimal.valueOf(MAX_IMAGES_PER_REQUEST)) > 0) {
      throw invalid(FIELD + " must be at most " + MAX_IMAGES_PER_REQUEST + " per request");
    }
    return number.longValueExact();
  }

  private static String kind(Object value) {
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value == JsonParser.NULL) {
      return "null";
    }
    return value instanceof Map ? "an object" : "an array";
  }

  private static Rejection malformed(String detail) {
    return new Rejection(new RequestRejected(400, RejectReason.MALFORMED, detail));
  }

  private static Rejection invalid(String detail) {
    return new Rejection(new RequestRejected(400, RejectReason.INVALID_COUNT, detail));
  }

  /** Carries a {@link RequestRejected} out of parsing. */
  static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient RequestRejected rejected;

    Rejection(RequestRejected rejected) {
      super(rejected.detail(), null, false, false);
      this.rejected = rejected;
    }

    RequestRejected rejected() {
      return rejected;
    }
  }
}
