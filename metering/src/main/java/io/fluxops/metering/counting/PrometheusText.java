package io.fluxops.metering.counting;

import io.fluxops.common.PrometheusText.FormatException;
import io.fluxops.common.PrometheusText.Sample;
import java.util.OptionalDouble;

/**
 * Reads one counter out of the Prometheus text exposition format (and OpenMetrics, which shares the
 * sample syntax) through the one text-format reader ({@link io.fluxops.common.PrometheusText}): the
 * sum of all samples with exactly the given name, over every label set.
 */
final class PrometheusText {
  private PrometheusText() {}

  /**
   * The sum of {@code name}'s samples; empty when there are none.
   *
   * @throws NumberFormatException when a sample of it is malformed or its value is not a finite,
   *     non-negative number
   */
  static OptionalDouble sum(String body, String name) {
    double total = 0;
    boolean found = false;
    try {
      for (Sample sample : io.fluxops.common.PrometheusText.samples(body, name)) {
        if (!Double.isFinite(sample.value()) || sample.value() < 0) {
          throw new NumberFormatException("not a counter value: " + sample.value());
        }
        total += sample.value();
        found = true;
      }
    } catch (FormatException e) {
      throw new NumberFormatException(e.getMessage());
    }
    return found ? OptionalDouble.of(total) : OptionalDouble.empty();
  }
}
