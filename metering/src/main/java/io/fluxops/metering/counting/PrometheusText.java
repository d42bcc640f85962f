package io.fluxops.metering.counting;

import java.util.OptionalDouble;

/**
 * Reads one metric out of the Prometheus text exposition format (and OpenMetrics, which shares the
 * sample syntax): the sum of all samples with exactly the given name, over every label set.
 */
final class PrometheusText {
  private PrometheusText() {}

  /**
   * The sum of {@code name}'s samples; empty when there are none.
   *
   * @throws NumberFormatException when a sample's value is not a finite, non-negative number
   */
  static OptionalDouble sum(String body, String name) {
    double total = 0;
    boolean found = false;
    for (String line : body.split("\n")) {
      String sample = line.strip();
      if (sample.isEmpty() || sample.startsWith("#") || !sample.startsWith(name)) {
        continue;
      }
      int end = name.length();
      if (end < sample.length() && sample.charAt(end) != '{' && sample.charAt(end) != ' ') {
        continue; // a longer name that starts with ours
      }
      total += value(sample, end);
      found = true;
    }
    return found ? OptionalDouble.of(total) : OptionalDouble.empty();
  }

  private static double value(String sample, int afterName) {
    int pos = afterName;
    if (pos < sample.length() && sample.charAt(pos) == '{') {
      pos = endOfLabels(sample, pos);
    }
    String[] fields = sample.substring(pos).strip().split("\\s+");
    double value = Double.parseDouble(fields[0]);
    if (!Double.isFinite(value) || value < 0) {
      throw new NumberFormatException("not a counter value: " + fields[0]);
    }
    return value;
  }

  /** The index after the closing brace; label values may hold braces and escaped quotes. */
  private static int endOfLabels(String sample, int open) {
    boolean quoted = false;
    for (int i = open + 1; i < sample.length(); i++) {
      char c = sample.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '}' && !quoted) {
        return i + 1;
      }
    }
    throw new NumberFormatException("unterminated label set");
  }
}
