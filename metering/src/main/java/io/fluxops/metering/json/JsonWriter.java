package io.fluxops.metering.json;

/**
 * Builds a JSON object with string, number, boolean, null and nested object members. Enough for
 * {@code /status} and error bodies, without a library.
 */
public final class JsonWriter {
  private final StringBuilder out = new StringBuilder("{");
  private boolean first = true;

  /** Adds a string member; null writes {@code null}. */
  public JsonWriter string(String name, String value) {
    name(name);
    if (value == null) {
      out.append("null");
    } else {
      quote(value);
    }
    return this;
  }

  /** Adds a number member. */
  public JsonWriter number(String name, long value) {
    name(name).append(value);
    return this;
  }

  /** Adds a boolean member. */
  public JsonWriter bool(String name, boolean value) {
    name(name).append(value);
    return this;
  }

  /** Adds an object member; null writes {@code null}. */
  public JsonWriter object(String name, JsonWriter value) {
    name(name).append(value == null ? "null" : value.toJson());
    return this;
  }

  /** The finished object. */
  public String toJson() {
    return out + "}";
  }

  @Override
  public String toString() {
    return toJson();
  }

  private StringBuilder name(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    quote(name);
    return out.append(':');
  }

  private void quote(String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
