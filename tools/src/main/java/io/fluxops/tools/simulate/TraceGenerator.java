package io.fluxops.tools.simulate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Makes the committed traces, deterministically: each is a Poisson process whose rate follows a
 * shape over time, drawn with {@link java.util.Random} (whose algorithm the JDK specifies) from a
 * fixed seed, with times rounded to 0.1 s as they are stored. A test checks that the committed
 * files are exactly what this class makes.
 *
 * <p>Rates are in images per second. One RTX 4090 replica makes 1 / 14.4 s ≈ 0.069 images/s, so
 * 0.50 images/s (1,800 an hour, about 1.3 million a month) keeps about seven 4090 replicas busy.
 *
 * <ul>
 *   <li>{@code steady}: 3 h at 0.50 images/s.
 *   <li>{@code diurnal}: 24 h, from 0.02 images/s at midnight to 0.40 at noon, following {@code ((1
 *       - cos(2πt/24h)) / 2)²}.
 *   <li>{@code bursty}: 4 h at 0.08 images/s, plus 10-minute bursts of 0.45 images/s more, starting
 *       15 to 45 minutes apart.
 *   <li>{@code spike-after-idle}: 1 h of nothing, then 30 requests of 4 images within one minute,
 *       then 0.12 images/s for 39 minutes, then nothing for the last 80 minutes.
 *   <li>{@code ramped}: 4 h at 0.05 images/s with bursts that ramp up over 3 to 10 minutes to 0.3
 *       to 0.8 images/s more, hold 5 to 15 minutes and ramp down over 3 to 10, 15 to 45 minutes
 *       apart.
 *   <li>{@code heavy-tailed}: 6 h of on/off traffic, as production inference traffic swings from
 *       minutes at several times the mean to minutes at zero: bursts last a Pareto-distributed time
 *       (α 1.4, at least 45 s, at most an hour), each at a Pareto-distributed multiple of 0.15
 *       images/s (α 1.6, at most 1.2 images/s); requests ask for a Pareto-distributed number of
 *       images (α 2.5, 1 to 8); silences between bursts are exponential with a 5-minute mean.
 * </ul>
 *
 * <p>{@link #generate(String, long)} makes the same shapes from other seeds, with the rates and
 * lengths drawn from the seed too, so that claims are checked on traces nobody tuned for.
 *
 * <p>Regenerate from the repository root with {@code ./mvnw -B -q -pl tools -am package -DskipTests
 * && java -cp tools/target/fluxops-tools.jar io.fluxops.tools.simulate.TraceGenerator
 * tools/src/main/resources/traces}.
 */
public final class TraceGenerator {

  /** The committed traces, in the order the benchmark reports them. */
  public static final List<String> NAMES =
      List.of("steady", "diurnal", "bursty", "spike-after-idle", "ramped", "heavy-tailed");

  /** The seed every trace is drawn with. */
  public static final long SEED = 20260521L;

  private TraceGenerator() {}

  /** Writes every trace as {@code <name>.csv} into the directory given as the only argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: TraceGenerator <output directory>");
    }
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (String name : NAMES) {
      try (Writer out =
          Files.newBufferedWriter(dir.resolve(name + ".csv"), StandardCharsets.UTF_8)) {
        TraceCsv.write(generate(name), comments(name), out);
      }
    }
  }

  /** Header comments of a trace file: what it is and how it was made. */
  public static List<String> comments(String name) {
    return List.of(
        "trace " + name + ": image requests for the FluxOps autoscaling simulation",
        "made by io.fluxops.tools.simulate.TraceGenerator with seed " + SEED + "; do not edit");
  }

  /** Makes one named trace. */
  public static Trace generate(String name) {
    Random random = new Random(SEED + NAMES.indexOf(name));
    return switch (name) {
      case "steady" -> new Trace(name, 3 * 3600, poisson(random, 0, 3 * 3600, t -> 0.50));
      case "diurnal" -> new Trace(name, 24 * 3600, poisson(random, 0, 24 * 3600, diurnal()));
      case "bursty" -> new Trace(name, 4 * 3600, bursty(random));
      case "spike-after-idle" -> new Trace(name, 3 * 3600, spikeAfterIdle(random));
      case "ramped" -> new Trace(name, 4 * 3600, ramped(random, 0.05, 0.3, 0.5));
      case "heavy-tailed" -> new Trace(name, 6 * 3600, heavyTailed(random, 0.15, 300));
      default ->
          throw new IllegalArgumentException(
              "no trace '" + name + "': choose one of " + String.join(", ", NAMES));
    };
  }

  /**
   * A trace of one of the {@link #NAMES}' shapes from another seed, its rates and lengths drawn
   * from the seed as well, named {@code <shape>-<seed>}. The seed is mixed first: the first value a
   * {@link Random} draws from nearby seeds is nearly the same (0.73 for every seed from 1 to 30 and
   * for 101, 202 and 303), so each shape's first parameter, its rate, was one value for all seeds.
   */
  public static Trace generate(String shape, long seed) {
    Random random = new Random(new SplittableRandom(seed).nextLong());
    String name = shape + "-" + seed;
    return switch (shape) {
      case "steady" -> {
        double rate = 0.1 + 0.7 * random.nextDouble();
        yield new Trace(name, 3 * 3600, poisson(random, 0, 3 * 3600, t -> rate));
      }
      case "diurnal" -> {
        double peak = 0.2 + random.nextDouble();
        yield new Trace(
            name,
            24 * 3600,
            poisson(
                random,
                0,
                24 * 3600,
                t -> {
                  double x = (1 - Math.cos(2 * Math.PI * t / (24 * 3600))) / 2;
                  return 0.02 + (peak - 0.02) * x * x;
                }));
      }
      case "bursty" -> {
        double base = 0.05 + 0.1 * random.nextDouble();
        double extra = 0.25 + 0.5 * random.nextDouble();
        double length = 300 + 600 * random.nextDouble();
        yield new Trace(name, 4 * 3600, bursty(random, base, extra, length));
      }
      case "spike-after-idle" -> new Trace(name, 3 * 3600, spikeAfterIdle(random));
      case "ramped" ->
          new Trace(
              name,
              4 * 3600,
              ramped(random, 0.03 + 0.05 * random.nextDouble(), 0.2, 0.6 * random.nextDouble()));
      case "heavy-tailed" ->
          new Trace(
              name,
              6 * 3600,
              heavyTailed(
                  random, 0.1 + 0.1 * random.nextDouble(), random.nextBoolean() ? 120 : 300));
      default ->
          throw new IllegalArgumentException(
              "no trace shape '" + shape + "': choose one of " + String.join(", ", NAMES));
    };
  }

  /**
   * Bursts that ramp up from {@code base}, hold and ramp down: peaks of {@code peakFrom} plus up to
   * {@code peakSpread} images/s more.
   */
  private static List<Trace.Arrival> ramped(
      Random random, double base, double peakFrom, double peakSpread) {
    double duration = 4 * 3600;
    List<double[]> bursts = new ArrayList<>();
    double start = 600 + random.nextDouble() * 1200;
    while (start < duration - 1800) {
      double up = 180 + random.nextDouble() * 420;
      double hold = 300 + random.nextDouble() * 600;
      double down = 180 + random.nextDouble() * 420;
      double peak = peakFrom + random.nextDouble() * peakSpread;
      bursts.add(new double[] {start, up, hold, down, peak});
      start += up + hold + down + 900 + random.nextDouble() * 1800;
    }
    DoubleUnaryOperator rate =
        t -> {
          double extra = 0;
          for (double[] b : bursts) {
            double x = t - b[0];
            if (x >= 0 && x < b[1]) {
              extra = b[4] * x / b[1];
            } else if (x >= b[1] && x < b[1] + b[2]) {
              extra = b[4];
            } else if (x >= b[1] + b[2] && x < b[1] + b[2] + b[3]) {
              extra = b[4] * (1 - (x - b[1] - b[2]) / b[3]);
            }
          }
          return base + extra;
        };
    return poisson(random, 0, duration, rate);
  }

  /** On/off traffic with Pareto burst lengths, rates and request sizes; see the class comment. */
  private static List<Trace.Arrival> heavyTailed(Random random, double base, double meanOff) {
    double duration = 6 * 3600;
    List<Trace.Arrival> arrivals = new ArrayList<>();
    double t = random.nextDouble() * 300;
    while (t < duration) {
      double end = Math.min(duration, t + Math.min(3600, pareto(random, 45, 1.4)));
      double rate = Math.min(1.2, base * pareto(random, 1, 1.6));
      double at = t;
      while (true) {
        at += -Math.log(1 - random.nextDouble()) / rate;
        if (at >= end || round(at) >= duration) {
          break;
        }
        int images = (int) Math.min(8, Math.floor(pareto(random, 1, 2.5)));
        arrivals.add(new Trace.Arrival(round(at), images));
      }
      t = end - Math.log(1 - random.nextDouble()) * meanOff;
    }
    return arrivals;
  }

  private static double pareto(Random random, double least, double alpha) {
    return least / Math.pow(1 - random.nextDouble(), 1 / alpha);
  }

  private static DoubleUnaryOperator diurnal() {
    return t -> {
      double shape = (1 - Math.cos(2 * Math.PI * t / (24 * 3600))) / 2;
      return 0.02 + 0.38 * shape * shape;
    };
  }

  private static List<Trace.Arrival> bursty(Random random) {
    return bursty(random, 0.08, 0.45, 600);
  }

  /** {@code base} images/s plus bursts of {@code extra} more lasting {@code length} seconds. */
  private static List<Trace.Arrival> bursty(
      Random random, double base, double extra, double length) {
    List<double[]> bursts = new ArrayList<>();
    double start = 900 + random.nextDouble() * 1800;
    while (start + length < 4 * 3600) {
      bursts.add(new double[] {start, start + length});
      start += length + 900 + random.nextDouble() * 1800;
    }
    DoubleUnaryOperator rate =
        t -> {
          for (double[] burst : bursts) {
            if (t >= burst[0] && t < burst[1]) {
              return base + extra;
            }
          }
          return base;
        };
    return poisson(random, 0, 4 * 3600, rate);
  }

  private static List<Trace.Arrival> spikeAfterIdle(Random random) {
    List<Trace.Arrival> arrivals = new ArrayList<>();
    List<Double> spike = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      spike.add(3600 + random.nextDouble() * 60);
    }
    spike.sort(Double::compare);
    for (double at : spike) {
      arrivals.add(new Trace.Arrival(round(at), 4));
    }
    arrivals.addAll(poisson(random, 3660, 6000, t -> 0.12));
    return arrivals;
  }

  /**
   * A Poisson process on {@code [from, to)} with a time-varying rate, by thinning: candidate
   * arrivals at the highest rate, each kept with probability {@code rate(t) / highest}.
   */
  static List<Trace.Arrival> poisson(
      Random random, double from, double to, DoubleUnaryOperator rate) {
    double highest = 0;
    for (double t = from; t < to; t += 1) {
      highest = Math.max(highest, rate.applyAsDouble(t));
    }
    List<Trace.Arrival> arrivals = new ArrayList<>();
    double t = from;
    while (true) {
      t += -Math.log(1 - random.nextDouble()) / highest;
      if (t >= to) {
        return arrivals;
      }
      if (random.nextDouble() * highest < rate.applyAsDouble(t) && round(t) < to) {
        arrivals.add(new Trace.Arrival(round(t), 1));
      }
    }
  }

  private static double round(double seconds) {
    return Math.round(seconds * 10) / 10.0;
  }
}
