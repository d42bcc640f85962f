package io.fluxops.queue;

import java.util.Map;
import java.util.Objects;

/**
 * Which samples of a Prometheus text page make the queue: a metric name and, optionally, labels
 * that must match, written as in PromQL, e.g. {@code flux_queue_depth} or {@code
 * flux_queue_depth{state="queued"}}. All matching samples are summed.
 *
 * @param name the metric name
 * @param labels label values a sample must have; other labels are ignored
 */
public record MetricSelector(String name, Map<String, String> labels) {

  /** Validates the selector and copies the labels. */
  public MetricSelector {
    Objects.requireNonNull(name, "name");
    if (!io.fluxops.common.PrometheusText.isMetricName(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
    }
    labels = Map.copyOf(labels);
  }

  /** Parses {@code name} or {@code name{label="value",...}}. */
  public static MetricSelector parse(String text) {
    try {
      io.fluxops.common.PrometheusText.Sample sample =
          PrometheusText.parseSample(text.strip() + " 0");
      return new MetricSelector(sample.name(), sample.labels());
    } catch (QueueFormatException e) {
      throw new IllegalArgumentException(
          "metric '"
              + text
              + "' is not a selector like flux_queue_depth{state=\"queued\"}: "
              + e.getMessage(),
          e);
    }
  }

  /** True when {@code sample} is one of the selected. */
  public boolean matches(io.fluxops.common.PrometheusText.Sample sample) {
    return sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet());
  }
}
