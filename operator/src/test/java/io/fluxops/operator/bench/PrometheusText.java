package io.fluxops.operator.bench;

import io.fluxops.common.PrometheusText.FormatException;
import io.fluxops.common.PrometheusText.Sample;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Figures out of a Prometheus text exposition, for benchmarks that scrape the operator; the page is
 * read by the one text-format reader ({@link io.fluxops.common.PrometheusText}).
 */
final class PrometheusText {

  private PrometheusText() {}

  /**
   * Sums the samples of metric {@code name} that carry every given label, written {@code
   * key="value"} (e.g. {@code area="heap"}); NaN samples are skipped.
   */
  static double sum(String exposition, String name, String... labels) {
    double total = 0;
    for (Sample sample : samples(exposition, name)) {
      if (hasAll(sample.labels(), labels) && !Double.isNaN(sample.value())) {
        total += sample.value();
      }
    }
    return total;
  }

  /**
   * The {@code q} quantile of histogram {@code name} summed over its label sets, interpolated
   * linearly inside the bucket it falls in, as PromQL's {@code histogram_quantile} does.
   */
  static double histogramQuantile(String exposition, String name, double q) {
    TreeMap<Double, Double> cumulative = new TreeMap<>();
    for (Sample bucket : samples(exposition, name + "_bucket")) {
      String bound = bucket.labels().get("le");
      double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
      cumulative.merge(upper, bucket.value(), Double::sum);
    }
    if (cumulative.isEmpty()) {
      return Double.NaN;
    }
    double rank = q * cumulative.lastEntry().getValue();
    double lower = 0;
    double below = 0;
    for (var bucket : cumulative.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return lower;
        }
        double inBucket = bucket.getValue() - below;
        return inBucket == 0
            ? bucket.getKey()
            : lower + (bucket.getKey() - lower) * (rank - below) / inBucket;
      }
      lower = bucket.getKey();
      below = bucket.getValue();
    }
    return lower;
  }

  private static List<Sample> samples(String exposition, String name) {
    try {
      return io.fluxops.common.PrometheusText.samples(exposition, name);
    } catch (FormatException e) {
      throw new IllegalStateException("the operator's /metrics page: " + e.getMessage(), e);
    }
  }

  private static boolean hasAll(Map<String, String> labels, String[] wanted) {
    for (String pair : wanted) {
      int eq = pair.indexOf('=');
      String value = pair.substring(eq + 1).replaceAll("^\"|\"$", "");
      if (!value.equals(labels.get(pair.substring(0, eq)))) {
        return false;
      }
    }
    return true;
  }
}
