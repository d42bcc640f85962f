package io.fluxops.metering.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) parser for the few small documents the sidecar reads: the usage request
 * and BFL's error bodies. Objects become {@link Map}s, arrays {@link List}s, numbers {@link
 * BigDecimal}s (so that {@code 1.0} and {@code 1e400} stay distinguishable from an integer), and
 * {@code null} becomes {@link #NULL}. Nesting is limited, since the input comes from the network.
 */
public final class JsonParser {
  /** The JSON literal {@code null}. */
  public static final Object NULL = new Object();

  private static final int MAX_DEPTH = 32;

  private final String text;
  private int pos;

  private JsonParser(String text) {
    this.text = text;
  }

  /** Parses a complete JSON document. */
  public static Object parse(String text) throws JsonException {
    JsonParser parser = new JsonParser(text);
    parser.skipWhitespace();
    Object value = parser.value(0);
    parser.skipWhitespace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected text after the JSON value");
    }
    return value;
  }

  private Object value(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw error("nested too deeply");
    }
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + printable(c) + "'");
      }
    };
  }

  private Map<String, Object> object(int depth) throws JsonException {
    Map<String, Object> members = new LinkedHashMap<>();
    pos++;
    skipWhitespace();
    if (peek('}')) {
      pos++;
      return members;
    }
    while (true) {
      skipWhitespace();
      if (!peek('"')) {
        throw error("expected a member name in double quotes");
      }
      String name = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      if (members.put(name, value(depth + 1)) != null) {
        throw error("duplicate member \"" + name + "\"");
      }
      skipWhitespace();
      if (peek(',')) {
        pos++;
      } else {
        expect('}');
        return members;
      }
    }
  }

  private List<Object> array(int depth) throws JsonException {
    List<Object> items = new ArrayList<>();
    pos++;
    skipWhitespace();
    if (peek(']')) {
      pos++;
      return items;
    }
    while (true) {
      skipWhitespace();
      items.add(value(depth + 1));
      skipWhitespace();
      if (peek(',')) {
        pos++;
      } else {
        expect(']');
        return items;
      }
    }
  }

  private String string() throws JsonException {
    StringBuilder out = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      out.append(c == '\\' ? escape() : c);
    }
    throw error("unterminated string");
  }

  private char escape() throws JsonException {
    if (pos >= text.length()) {
      throw error("unterminated escape");
    }
    char c = text.charAt(pos++);
    return switch (c) {
      case '"', '\\', '/' -> c;
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'u' -> unicodeEscape();
      default -> throw error("invalid escape \\" + printable(c));
    };
  }

  private char unicodeEscape() throws JsonException {
    if (pos + 4 > text.length()) {
      throw error("incomplete \\u escape");
    }
    try {
      char c = (char) Integer.parseInt(text.substring(pos, pos + 4), 16);
      pos += 4;
      return c;
    } catch (NumberFormatException e) {
      throw error("invalid \\u escape");
    }
  }

  private BigDecimal number() throws JsonException {
    int start = pos;
    if (peek('-')) {
      pos++;
    }
    if (peek('0')) {
      pos++;
    } else if (!digits()) {
      throw error("invalid number");
    }
    if (peek('.')) {
      pos++;
      if (!digits()) {
        throw error("invalid number: digits must follow the decimal point");
      }
    }
    if (peek('e') || peek('E')) {
      pos++;
      if (peek('+') || peek('-')) {
        pos++;
      }
      if (!digits()) {
        throw error("invalid number: digits must follow the exponent");
      }
    }
    try {
      return new BigDecimal(text.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error("number out of range");
    }
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private Object literal(String word, Object value) throws JsonException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected word");
    }
    pos += word.length();
    return value;
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) throws JsonException {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private JsonException error(String problem) {
    return new JsonException("malformed JSON at character " + pos + ": " + problem);
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }
}
