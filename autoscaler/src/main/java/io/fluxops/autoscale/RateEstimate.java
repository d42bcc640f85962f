package io.fluxops.autoscale;

/**
 * The arrival rate over each of {@link QueueDepthScaler#RATE_WINDOWS_SECONDS}, with Poisson
 * confidence bounds: a count {@code n} over {@code t} seconds gives {@code n / t}, bounded below by
 * {@code (n - z√n) / t} and above by {@code (n + z√n + z²) / t} (the score interval's ends,
 * nearly). Windows longer than twice the history there is are left out.
 */
final class RateEstimate {

  private final double[] counts;
  private final double[] spans;
  private final int windows;

  RateEstimate(ScalerState state, long nowSecond) {
    int size = QueueDepthScaler.RATE_WINDOWS_SECONDS.size();
    counts = new double[size];
    spans = new double[size];
    int usable = 0;
    for (long window : QueueDepthScaler.RATE_WINDOWS_SECONDS) {
      long span = state.arrivalSpan(nowSecond, window);
      if (span <= 0 || (usable > 0 && span < window / 2)) {
        break;
      }
      counts[usable] = state.arrivalsWithin(nowSecond, window);
      spans[usable] = span;
      usable++;
    }
    windows = usable;
  }

  /** How many windows have enough history. */
  int windows() {
    return windows;
  }

  /** Images a second over window {@code i}. */
  double rate(int i) {
    return counts[i] / spans[i];
  }

  /** The rate's lower bound over window {@code i}, {@code z} standard deviations down. */
  double lowerBound(int i, double z) {
    return Math.max(0, counts[i] - z * Math.sqrt(counts[i])) / spans[i];
  }

  /** The rate's upper bound over window {@code i}, {@code z} standard deviations up. */
  double upperBound(int i, double z) {
    return (counts[i] + z * Math.sqrt(counts[i]) + z * z) / spans[i];
  }

  /** The rate over the longest window with enough history; {@code NaN} when there is none. */
  double longestRate() {
    return windows == 0 ? Double.NaN : rate(windows - 1);
  }
}
