package io.fluxops.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one reader of the Prometheus text exposition format (version 0.0.4; OpenMetrics shares its
 * sample syntax) in FluxOps: the autoscaler's queue sources, the sidecar's counter reader and the
 * benchmarks all read pages through it. It reads sample lines ({@code name{labels} value
 * [timestamp]}) with escaped label values and skips comments, HELP and TYPE lines. The Prometheus
 * Java client only writes this format, and no maintained Java library parses it, hence this class.
 * Metric names in quotes (the UTF-8 names of newer formats) are not supported.
 *
 * <p>Only the lines of the metric asked for are parsed, strictly: a malformed line of another
 * metric (an exemplar, a newer syntax) does not stop the one asked for from being read.
 */
public final class PrometheusText {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** A page or a line that is not in the text format; the message says where and why. */
  public static final class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
      super(message);
    }

    public FormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private PrometheusText() {}

  /**
   * Every sample of metric {@code name} on {@code page}, in page order.
   *
   * @throws FormatException when one of that metric's lines is malformed ("line N: ...")
   */
  public static List<Sample> samples(String page, String name) throws FormatException {
    List<Sample> samples = new ArrayList<>();
    int number = 0;
    for (String line : page.split("\n", -1)) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || !new Cursor(trimmed).isNamed(name)) {
        continue;
      }
      try {
        samples.add(parseSample(trimmed));
      } catch (FormatException e) {
        throw new FormatException("line " + number + ": " + e.getMessage(), e);
      }
    }
    return samples;
  }

  /** Parses one sample line. */
  public static Sample parseSample(String line) throws FormatException {
    Cursor cursor = new Cursor(line);
    String name = cursor.name();
    if (!isMetricName(name)) {
      throw new FormatException("expected a metric name in '" + line + "'");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    cursor.skipBlanks();
    if (cursor.peek() == '{') {
      cursor.next();
      labels = cursor.labels();
    }
    cursor.skipBlanks();
    String value = cursor.token();
    if (value.isEmpty()) {
      throw new FormatException("expected a value after " + name + " in '" + line + "'");
    }
    cursor.skipBlanks();
    String timestamp = cursor.token();
    cursor.skipBlanks();
    if (!cursor.atEnd() || (!timestamp.isEmpty() && !timestamp.matches("-?[0-9]+"))) {
      throw new FormatException("unexpected text after the value in '" + line + "'");
    }
    return new Sample(name, labels, parseValue(value, line));
  }

  /** Whether {@code name} is a metric name: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
  public static boolean isMetricName(String name) {
    return name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
  }

  private static double parseValue(String value, String line) throws FormatException {
    switch (value) {
      case "+Inf", "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw new FormatException("'" + value + "' is not a number in '" + line + "'", e);
        }
    }
  }

  /** Walks one line. */
  private static final class Cursor {
    private final String line;
    private int at;

    Cursor(String line) {
      this.line = line;
    }

    /** Whether the line's metric name is exactly {@code name}. */
    boolean isNamed(String name) {
      return name().equals(name);
    }

    boolean atEnd() {
      return at >= line.length();
    }

    char peek() {
      return atEnd() ? '\0' : line.charAt(at);
    }

    char next() {
      return line.charAt(at++);
    }

    void skipBlanks() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
        at++;
      }
    }

    String name() {
      int start = at;
      while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == ':')) {
        at++;
      }
      return line.substring(start, at);
    }

    String token() {
      int start = at;
      while (!atEnd() && peek() != ' ' && peek() != '\t') {
        at++;
      }
      return line.substring(start, at);
    }

    Map<String, String> labels() throws FormatException {
      Map<String, String> labels = new LinkedHashMap<>();
      while (true) {
        skipBlanks();
        if (peek() == '}') {
          next();
          return labels;
        }
        String label = name();
        skipBlanks();
        if (label.isEmpty() || atEnd() || next() != '=') {
          throw new FormatException("expected label=\"value\" in '" + line + "'");
        }
        skipBlanks();
        labels.put(label, quoted());
        skipBlanks();
        if (peek() == ',') {
          next();
        } else if (peek() != '}') {
          throw new FormatException("expected ',' or '}' in the labels of '" + line + "'");
        }
      }
    }

    String quoted() throws FormatException {
      if (atEnd() || next() != '"') {
        throw new FormatException("expected a quoted label value in '" + line + "'");
      }
      StringBuilder value = new StringBuilder();
      while (!atEnd()) {
        char c = next();
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && !atEnd()) {
          char escaped = next();
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
      }
      throw new FormatException("unterminated label value in '" + line + "'");
    }
  }
}
