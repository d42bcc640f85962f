package io.fluxops.autoscale;

import java.util.List;

/**
 * The arrival rate over each of {@link QueueDepthScaler#RATE_WINDOWS_SECONDS}, with Poisson
 * confidence bounds: a count {@code n} over {@code t} seconds gives {@code n / t}, bounded below by
 * {@code (n - z√n) / t} and above by {@code (n + z√(Dn) + z²D) / t} (the score interval's ends,
 * nearly), where {@code D} is the arrivals' measured {@link #dispersion}. Windows longer than twice
 * the history there is are left out.
 *
 * <p>Only the upper bound, which decides shrinking, is widened by the dispersion: traffic that
 * comes in batches or bursts keeps its replicas until the evidence that it calmed down is as strong
 * as for single images. Widening the lower bound as well made growing wait for the same evidence,
 * and the bursts it waited for were over by then (heavy-tailed trace: 8.0 % of images over the SLO
 * instead of 3.9 %, BENCHMARKS.md).
 */
final class RateEstimate {

  /**
   * The most the measured dispersion may widen the bounds by: 16, as if every request asked for 16
   * images. Past it the queue backstop answers faster than any rate evidence would.
   */
  static final double MAX_DISPERSION = 16;

  private final double[] counts;
  private final double[] spans;
  private final int windows;
  private final double dispersion;

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
    dispersion = dispersion(state.arrivals());
  }

  /**
   * How much more the arrivals vary than a Poisson count of single images: the index of dispersion,
   * variance over mean of the images per slot, at least 1. Requests for several images at once (a
   * count of {@code n} images from {@code n / k} requests of {@code k}) and on/off traffic both
   * raise it. It is measured on the differences of neighbouring slots, so a change of rate between
   * two slots counts once rather than in every slot after it.
   */
  static double dispersion(List<ScalerState.ArrivalBin> bins) {
    double images = 0;
    double seconds = 0;
    for (ScalerState.ArrivalBin bin : bins) {
      images += bin.images();
      seconds += bin.toEpochSecond() - bin.fromEpochSecond();
    }
    if (bins.size() < 4 || !(images > 0) || !(seconds > 0)) {
      return 1;
    }
    double rate = images / seconds;
    double squares = 0;
    double expected = 0;
    for (int i = 1; i < bins.size(); i++) {
      ScalerState.ArrivalBin a = bins.get(i - 1);
      ScalerState.ArrivalBin b = bins.get(i);
      double ta = a.toEpochSecond() - a.fromEpochSecond();
      double tb = b.toEpochSecond() - b.fromEpochSecond();
      if (ta <= 0 || tb <= 0) {
        continue;
      }
      double difference = b.images() / tb - a.images() / ta;
      squares += difference * difference;
      // A Poisson count of single images: each slot's rate varies by rate / seconds.
      expected += rate / ta + rate / tb;
    }
    return expected > 0 ? Math.max(1, Math.min(MAX_DISPERSION, squares / expected)) : 1;
  }

  /** The measured index of dispersion the upper bounds are widened by; see {@link #dispersion}. */
  double dispersion() {
    return dispersion;
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
    return (counts[i] + z * Math.sqrt(dispersion * counts[i]) + z * z * dispersion) / spans[i];
  }

  /**
   * The rate over the shortest window at least {@code seconds} long, or over the longest window
   * with enough history where that one has too little; {@code NaN} when no window has enough.
   */
  double rateOver(double seconds) {
    if (windows == 0) {
      return Double.NaN;
    }
    int i = 0;
    while (i < windows - 1 && QueueDepthScaler.RATE_WINDOWS_SECONDS.get(i) < seconds) {
      i++;
    }
    return rate(i);
  }

  /** The rate over the longest window with enough history; {@code NaN} when there is none. */
  double longestRate() {
    return windows == 0 ? Double.NaN : rate(windows - 1);
  }
}
