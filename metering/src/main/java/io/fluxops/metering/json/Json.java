package io.fluxops.metering.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The sidecar's JSON, read and written with jackson-jr. Reading is strict RFC 8259, since the text
 * comes from the network and a usage count must mean one thing: a repeated member name, text after
 * the value and nesting deeper than {@value #MAX_DEPTH} levels are errors. Writing keeps members
 * whose value is null, so that a {@code /status} reader sees every member.
 */
public final class Json {
  private static final int MAX_DEPTH = 32;

  private static final JSON JR =
      JSON.builder(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                  .build())
          .enable(JSON.Feature.USE_BIG_DECIMAL_FOR_FLOATS, JSON.Feature.WRITE_NULL_PROPERTIES)
          .build();

  private Json() {}

  /**
   * Parses one complete document. Objects become {@link Map}s in document order, arrays {@link
   * List}s, integers {@link Integer}, {@link Long} or {@link java.math.BigInteger}, and every
   * number with a fraction or exponent a {@link BigDecimal}, so that {@code 1.0} and {@code 1e3}
   * stay distinguishable from an integer. {@code null} becomes null.
   */
  public static Object parse(String text) throws JsonProcessingException {
    try (JsonParser parser = JR.createParser(text)) {
      Object value = value(parser);
      if (parser.nextToken() != null) {
        throw new JsonParseException(
            parser, "unexpected text after the JSON value", parser.currentTokenLocation());
      }
      return value;
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("reading a string cannot fail", e);
    }
  }

  private static Object value(JsonParser parser) throws IOException {
    try {
      return JR.anyFrom(parser);
    } catch (NumberFormatException e) {
      // An exponent BigDecimal cannot hold, such as 1e-99999999999.
      throw new JsonParseException(parser, "number out of range", e);
    }
  }

  /** What is wrong with a text {@link #parse} refused, and where: for an error message. */
  public static String problem(JsonProcessingException e) {
    // Jackson names the source of a position "REDACTED", and its limits by the method that sets
    // them; the line, the column and the limit are what help.
    String why =
        e.getOriginalMessage()
            .replaceAll("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
            .replaceAll(", from `[^`]*`", "");
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 0
        ? "malformed JSON: " + why
        : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + why;
  }

  /** The object as compact JSON: string, number, boolean, null, list and map values. */
  public static String write(Map<String, ?> object) {
    try {
      return JR.asString(object);
    } catch (IOException e) {
      throw new UncheckedIOException("writing plain values to a string cannot fail", e);
    }
  }
}
