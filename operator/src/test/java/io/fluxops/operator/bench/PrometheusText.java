package io.fluxops.operator.bench;

/** Reads values out of a Prometheus text exposition, for benchmarks that scrape the operator. */
final class PrometheusText {

  private PrometheusText() {}

  /**
   * Sums the samples of metric {@code name} whose label set contains every given fragment (e.g.
   * {@code area="heap"}); NaN samples are skipped.
   */
  static double sum(String exposition, String name, String... labelFragments) {
    double total = 0;
    for (String line : exposition.split("\\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      int brace = series.indexOf('{');
      String metric = brace < 0 ? series : series.substring(0, brace);
      if (!metric.equals(name) || !containsAll(series, labelFragments)) {
        continue;
      }
      double value = Double.parseDouble(line.substring(space + 1));
      if (!Double.isNaN(value)) {
        total += value;
      }
    }
    return total;
  }

  /**
   * The {@code q} quantile of histogram {@code name} summed over its label sets, interpolated
   * linearly inside the bucket it falls in, as PromQL's {@code histogram_quantile} does.
   */
  static double histogramQuantile(String exposition, String name, double q) {
    java.util.TreeMap<Double, Double> cumulative = new java.util.TreeMap<>();
    for (String line : exposition.split("\\n")) {
      if (!line.startsWith(name + "_bucket{")) {
        continue;
      }
      int le = line.indexOf("le=\"") + 4;
      String bound = line.substring(le, line.indexOf('"', le));
      double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
      double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      cumulative.merge(upper, count, Double::sum);
    }
    if (cumulative.isEmpty()) {
      return Double.NaN;
    }
    double total = cumulative.lastEntry().getValue();
    double rank = q * total;
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

  private static boolean containsAll(String series, String[] fragments) {
    for (String fragment : fragments) {
      if (!series.contains(fragment)) {
        return false;
      }
    }
    return true;
  }
}
