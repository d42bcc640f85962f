package io.fluxops.autoscale;

/**
 * The queueing arithmetic the arrival rule sizes with: how many replicas keep the wait within a
 * budget at a given arrival rate (Erlang C), and how many a backlog needs when new replicas only
 * serve after they have started (a fluid projection). Pure functions of numbers.
 */
final class Queueing {

  /**
   * The share of images allowed to wait longer than the budget at steady load: 1 %, the SLO the
   * benchmark holds the scaler to (99 % of images start within it).
   */
  static final double TAIL = 0.01;

  /**
   * How variable service and arrivals are against the M/M/c model Erlang C assumes: 0.5 is the
   * Allen–Cunneen factor {@code (ca² + cs²) / 2} for Poisson arrivals ({@code ca² = 1}) and a
   * nearly constant time per image ({@code cs² ≈ 0}, fixed steps and resolution). It scales the
   * wait's exponential tail. Checked against the simulator: with it, the highest load c replicas
   * are sized for lies 2–3 % below the highest load c fixed replicas hold at 99 % within 60 s (for
   * c from 5 to 20 on an RTX 4090), so the rule errs on the safe side.
   */
  static final double VARIABILITY = 0.5;

  /** Step of the projection's arrival times, in seconds: one default poll. */
  private static final double PROJECTION_STEP_SECONDS = 5;

  private Queueing() {}

  /**
   * The fewest replicas that keep the probability of waiting longer than {@code budget} at most
   * {@link #TAIL}, for Poisson arrivals at {@code lambda} images a second and {@code
   * secondsPerImage} per image: Erlang C's probability of waiting times its exponential tail,
   * {@code C(c, a) · exp(-(c - a) · budget / (s · VARIABILITY))}, with {@code a = lambda · s}. Zero
   * for no arrivals; at most {@code max}.
   */
  static int replicasFor(double lambda, double secondsPerImage, double budget, int max) {
    double load = lambda * secondsPerImage;
    if (!(load > 0)) {
      return 0;
    }
    // Erlang B by its recurrence, B(c) = a·B(c-1) / (c + a·B(c-1)); Erlang C follows from it.
    double erlangB = 1;
    for (int c = 1; c <= max; c++) {
      erlangB = load * erlangB / (c + load * erlangB);
      if (c > load) {
        double erlangC = c * erlangB / (c - load * (1 - erlangB));
        double tail = erlangC * Math.exp(-(c - load) * budget / (secondsPerImage * VARIABILITY));
        if (tail <= TAIL) {
          return c;
        }
      }
    }
    return max;
  }

  /**
   * The replicas worth having for the backlog, in a fluid projection over the next pod start plus
   * the budget: the waiting {@code backlog} and arrivals at {@code lambda} are served by the {@code
   * ready} replicas at once, by the starting ones when each is expected to be ready, and by new
   * ones from {@code startSeconds} on. Of the sizes from 0 to {@code max}, the one where the images
   * it lets start within the budget, each worth {@code imageValue} GPU-seconds, most exceed the
   * GPU-seconds of the replicas it adds, each costing {@code podCost}. An image that only a crowd
   * of replicas could still save is not worth them: they would start too late for most of the
   * backlog and idle afterwards. Fewer replicas than there are remove starting ones first, the
   * latest first.
   *
   * @param startingReadyIn seconds until each starting pod is expected to be ready, ascending;
   *     starting pods beyond those listed are expected after {@code startSeconds}
   */
  static int replicasForBacklog(
      double backlog,
      int ready,
      double[] startingReadyIn,
      int starting,
      double lambda,
      double secondsPerImage,
      double budget,
      double startSeconds,
      int max,
      double imageValue,
      double podCost) {
    if (backlog <= 0 && lambda * secondsPerImage < ready + starting) {
      return 0;
    }
    double[] due = new double[starting];
    for (int i = 0; i < starting; i++) {
      due[i] = i < startingReadyIn.length ? startingReadyIn[i] : startSeconds;
    }
    java.util.Arrays.sort(due);
    int have = ready + starting;
    // A new replica that starts no projected image saves nothing: no more new ones than images.
    double horizon = startSeconds + budget;
    long enough = have + (long) Math.ceil(backlog + lambda * horizon) + 1;
    int most = (int) Math.min(max, enough);
    int best = 0;
    double bestGain = Double.NEGATIVE_INFINITY;
    for (int replicas = 0; replicas <= most; replicas++) {
      Projection projection =
          new Projection(
              backlog, lambda, secondsPerImage, schedule(replicas, ready, due, startSeconds));
      double gain =
          imageValue * projection.saved(budget, startSeconds + budget)
              - podCost * Math.max(0, replicas - have);
      if (gain > bestGain + 1e-9) {
        best = replicas;
        bestGain = gain;
      }
    }
    return best;
  }

  /** When each of {@code replicas} serves, ascending: ready ones at 0, then starting, then new. */
  private static double[] schedule(int replicas, int ready, double[] due, double startSeconds) {
    double[] serves = new double[replicas];
    for (int i = 0; i < replicas; i++) {
      if (i < ready) {
        serves[i] = 0;
      } else if (i - ready < due.length) {
        serves[i] = due[i - ready];
      } else {
        serves[i] = startSeconds;
      }
    }
    java.util.Arrays.sort(serves);
    return serves;
  }

  /**
   * The fluid model behind {@link #replicasForBacklog}: replicas serve from the times in {@code
   * serves}, each an image per {@code secondsPerImage}, always busy.
   */
  private record Projection(
      double backlog, double lambda, double secondsPerImage, double[] serves) {

    /** Images of the backlog and of the arrivals within the horizon that start within budget. */
    double saved(double budget, double horizon) {
      double saved = Math.min(backlog, servedBy(budget));
      for (double at = PROJECTION_STEP_SECONDS;
          at <= horizon + 1e-9;
          at += PROJECTION_STEP_SECONDS) {
        if (startOf(backlog + lambda * at) - at <= budget) {
          saved += lambda * PROJECTION_STEP_SECONDS;
        }
      }
      return saved;
    }

    /** Images started by time {@code t}. */
    double servedBy(double t) {
      double served = 0;
      for (double from : serves) {
        served += Math.max(0, t - from) / secondsPerImage;
      }
      return served;
    }

    /** When the image with {@code ahead} images before it starts: infinite if no replica comes. */
    double startOf(double ahead) {
      if (ahead <= 0) {
        return 0;
      }
      double served = 0;
      for (int k = 0; k < serves.length; k++) {
        double end = k + 1 < serves.length ? serves[k + 1] : Double.POSITIVE_INFINITY;
        double rate = (k + 1) / secondsPerImage; // replicas 0..k serve in [serves[k], end)
        double segment = (end - serves[k]) * rate;
        if (served + segment >= ahead) {
          return serves[k] + (ahead - served) / rate;
        }
        served += segment;
      }
      return Double.POSITIVE_INFINITY;
    }
  }
}
