package io.fluxops.metering.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fluxops.metering.json.Json;
import io.fluxops.metering.metrics.MeteringMetrics.RejectReason;
import java.math.BigDecimal;
import java.math.BigInteger;
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
      document = Json.parse(body);
    } catch (JsonProcessingException e) {
      throw malformed(Json.problem(e));
    }
    if (!(document instanceof Map<?, ?> members)) {
      throw malformed("the body must be a JSON object like {\"" + FIELD + "\": 1}");
    }
    if (!members.containsKey(FIELD)) {
      throw invalid(FIELD + " is required");
    }
    Object value = members.get(FIELD);
    if (value instanceof BigDecimal number) {
      // Json reads every number written with a fraction or exponent as a BigDecimal, 1.0 too.
      throw invalid(FIELD + " must be an integer without fraction or exponent, got " + number);
    }
    if (!(value instanceof Number integer)) {
      throw invalid(FIELD + " must be a positive integer, not " + kind(value));
    }
    return count(new BigInteger(integer.toString()));
  }

  private static long count(BigInteger number) throws Rejection {
    if (number.signum() <= 0) {
      throw invalid(FIELD + " must be positive, got " + number);
    }
    if (number.compareTo(BigInteger.valueOf(MAX_IMAGES_PER_REQUEST)) > 0) {
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
    if (value == null) {
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
