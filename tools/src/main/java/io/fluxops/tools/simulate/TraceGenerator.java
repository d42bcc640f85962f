package io.fluxops.tools.simulate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * </ul>
 *
 * <p>Regenerate from the repository root with {@code ./mvnw -B -q -pl tools -am package -DskipTests
 * && java -cp tools/target/fluxops-tools.jar io.fluxops.tools.simulate.TraceGenerator
 * tools/src/main/resources/traces}.
 */
public final class TraceGenerator {

  /** The committed traces, in the order the benchmark reports them. */
  public static final List<String> NAMES =
      List.of("steady", "diurnal", "bursty", "spike-after-idle");

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
      default ->
          throw new IllegalArgumentException(
              "no trace '" + name + "': choose one of " + String.join(", ", NAMES));
    };
  }

  private static DoubleUnaryOperator diurnal() {
    return t -> {
      double shape = (1 - Math.cos(2 * Math.PI * t / (24 * 3600))) / 2;
      return 0.02 + 0.38 * shape * shape;
    };
  }

  private static List<Trace.Arrival> bursty(Random random) {
    List<double[]> bursts = new ArrayList<>();
    double start = 900 + random.nextDouble() * 1800;
    while (start + 600 < 4 * 3600) {
      bursts.add(new double[] {start, start + 600});
      start += 600 + 900 + random.nextDouble() * 1800;
    }
    DoubleUnaryOperator rate =
        t -> {
          for (double[] burst : bursts) {
            if (t >= burst[0] && t < burst[1]) {
              return 0.08 + 0.45;
            }
          }
          return 0.08;
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
