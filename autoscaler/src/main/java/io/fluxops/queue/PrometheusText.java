package io.fluxops.queue;

import io.fluxops.common.PrometheusText.FormatException;
import io.fluxops.common.PrometheusText.Sample;

/**
 * A queue depth from a Prometheus text page: the sum of the samples a {@link MetricSelector}
 * matches, read through the one text-format reader ({@link io.fluxops.common.PrometheusText}).
 */
public final class PrometheusText {

  private PrometheusText() {}

  /**
   * Sums the values of the samples {@code selector} matches.
   *
   * @throws QueueFormatException when a line of the metric is malformed, nothing matches, or a
   *     value is not a finite number
   */
  public static double sum(String page, MetricSelector selector) throws QueueFormatException {
    double total = 0;
    int matched = 0;
    try {
      for (Sample sample : io.fluxops.common.PrometheusText.samples(page, selector.name())) {
        if (!selector.matches(sample)) {
          continue;
        }
        if (!Double.isFinite(sample.value())) {
          throw new QueueFormatException(
              "metric " + selector.name() + " has the value " + sample.value());
        }
        total += sample.value();
        matched++;
      }
    } catch (FormatException e) {
      throw new QueueFormatException(e.getMessage(), e);
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
    try {
      return io.fluxops.common.PrometheusText.parseSample(line);
    } catch (FormatException e) {
      throw new QueueFormatException(e.getMessage(), e);
    }
  }
}
