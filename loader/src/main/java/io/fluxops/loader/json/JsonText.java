package io.fluxops.loader.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loader's JSON, through jackson-jr: objects as maps. Reading refuses repeated member names, so
 * that a checksum or a size means one thing.
 */
public final class JsonText {
  private static final JSON JR =
      JSON.builder(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(32).build())
                  .build())
          .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
          .build();

  private JsonText() {}

  /** Parses a JSON object; anything else, or malformed text, is an {@link IOException}. */
  public static Map<String, Object> object(String text) throws IOException {
    Object value = JR.anyFrom(text);
    if (!(value instanceof Map<?, ?> map)) {
      throw new IOException("expected a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) map;
    return object;
  }

  /** Renders a value of maps, lists, strings, numbers and booleans. */
  public static String write(Object value) {
    try {
      return JR.asString(value);
    } catch (IOException e) {
      throw new UncheckedIOException("writing maps and lists cannot fail", e);
    }
  }

  /** A member that must be a string. */
  public static Optional<String> string(Map<String, Object> object, String name) {
    return object.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** A member that must be a whole number. */
  public static Optional<Long> whole(Map<String, Object> object, String name) {
    Object value = object.get(name);
    return value instanceof Integer || value instanceof Long
        ? Optional.of(((Number) value).longValue())
        : Optional.empty();
  }

  /** A member that must be an object. */
  @SuppressWarnings("unchecked")
  public static Optional<Map<String, Object>> object(Map<String, Object> object, String name) {
    return object.get(name) instanceof Map<?, ?> map
        ? Optional.of((Map<String, Object>) map)
        : Optional.empty();
  }

  /** A member that must be an array. */
  public static Optional<List<?>> array(Map<String, Object> object, String name) {
    return object.get(name) instanceof List<?> list ? Optional.of(list) : Optional.empty();
  }
}
