package io.fluxops.queue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small parser for the Prometheus text exposition format (version 0.0.4), enough to sum one
 * gauge: it reads sample lines ({@code name{labels} value [timestamp]}) with escaped label values,
 * and skips comments, HELP and TYPE lines. The Prometheus Java client only writes this format, and
 * no maintained Java library parses it, hence this class. Metric names in quotes (the UTF-8 names
 * of newer formats) are not supported.
 */
public final class PrometheusText {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private PrometheusText() {}

  /**
   * Sums the values of the samples {@code selector} matches.
   *
   * @throws QueueFormatException when a line is malformed, nothing matches, or a value is not a
   *     finite number
   */
  public static double sum(String page, MetricSelector selector) throws QueueFormatException {
    double total = 0;
    int matched = 0;
    int number = 0;
    for (String line : page.split("\n", -1)) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Sample sample;
      try {
        sample = parseSample(trimmed);
      } catch (QueueFormatException e) {
        throw new QueueFormatException("line " + number + ": " + e.getMessage(), e);
      }
      if (selector.matches(sample)) {
        if (!Double.isFinite(sample.value())) {
          throw new QueueFormatException(
              "metric "
                  + selector.name()
                  + " has the value "
                  + sample.value()
                  + " on line "
                  + number);
        }
        total += sample.value();
        matched++;
      }
    }
    if (matched == 0) {
      throw new QueueFormatException(
          "no sample of "
              + selector.name()
              + (selector.labels().isEmpty() ? "" : " with labels " + selector.labels())
              + " on the page");
    }
    return total;
  }

  /** Parses one sample line. */
  static Sample parseSample(String line) throws QueueFormatException {
    Cursor cursor = new Cursor(line);
    String name = cursor.name();
    if (!isMetricName(name)) {
      throw new QueueFormatException("expected a metric name in '" + line + "'");
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
      throw new QueueFormatException("expected a value after " + name + " in '" + line + "'");
    }
    cursor.skipBlanks();
    String timestamp = cursor.token();
    cursor.skipBlanks();
    if (!cursor.atEnd() || (!timestamp.isEmpty() && !timestamp.matches("-?[0-9]+"))) {
      throw new QueueFormatException("unexpected text after the value in '" + line + "'");
    }
    return new Sample(name, labels, parseValue(value, line));
  }

  static boolean isMetricName(String name) {
    return name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
  }

  private static double parseValue(String value, String line) throws QueueFormatException {
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
          throw new QueueFormatException("'" + value + "' is not a number in '" + line + "'", e);
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

    Map<String, String> labels() throws QueueFormatException {
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
          throw new QueueFormatException("expected label=\"value\" in '" + line + "'");
        }
        skipBlanks();
        labels.put(label, quoted());
        skipBlanks();
        if (peek() == ',') {
          next();
        } else if (peek() != '}') {
          throw new QueueFormatException("expected ',' or '}' in the labels of '" + line + "'");
        }
      }
    }

    String quoted() throws QueueFormatException {
      if (atEnd() || next() != '"') {
        throw new QueueFormatException("expected a quoted label value in '" + line + "'");
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
      throw new QueueFormatException("unterminated label value in '" + line + "'");
    }
  }
}
