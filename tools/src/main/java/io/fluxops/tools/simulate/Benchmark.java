package io.fluxops.tools.simulate;

import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.common.GpuType;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the autoscaling comparison: every committed trace, replayed on one GPU type through
 * FluxOps' scaler, the HPA and KEDA baselines, fixed provisioning at peak, and the oracle bound.
 *
 * <p>Run with {@code ./mvnw -q -pl autoscaler exec:java} (the module's default main class); an
 * optional argument picks the GPU type, {@code rtx-4090} by default, or {@code sensitivity} prints
 * how the RTX 4090 results move with the pod start-up time and the scale-down window.
 */
public final class Benchmark {

  /** The budget cap every strategy gets. */
  public static final int MAX_REPLICAS = 32;

  /** The share of images that must start within the SLO. */
  public static final double WITHIN_SLO = 0.99;

  /** Slice length for the clairvoyant bound. */
  public static final double CLAIRVOYANT_BUCKET_SECONDS = 600;

  /** Pod start-up times the sensitivity table compares, in seconds. */
  public static final List<Double> START_SECONDS = List.of(30.0, 60.0, 120.0);

  /** Scale-down windows the sensitivity table compares, in seconds. */
  public static final List<Integer> DOWN_WINDOW_SECONDS = List.of(60, 120, 180, 300);

  private Benchmark() {}

  /**
   * FluxOps' policy in the benchmark: the documented defaults, allowed to go to zero, with the
   * target queue depth suggested for the GPU (2 for an RTX 4090, the default).
   */
  public static ScalingPolicy policy(GpuType gpu) {
    return ScalingPolicy.withRange(0, MAX_REPLICAS)
        .withTargetQueueDepth(gpu.suggestedTargetQueueDepth(Simulations.DEFAULT_SLO_SECONDS))
        .withWindows(Duration.ZERO, Duration.ofSeconds(300)); // the CRD's default
  }

  /**
   * Prints two Markdown tables: FluxOps (defaults), HPA and KEDA on every trace for each of {@link
   * #START_SECONDS}; then FluxOps with each of {@link #DOWN_WINDOW_SECONDS} at the profile's start.
   * Each cell is GPU-hours over the oracle's, and the share of images over the SLO.
   */
  public static void printSensitivity(GpuType gpu, PrintStream out) {
    ScalingPolicy policy = policy(gpu);
    out.println("| pod start s | trace | fluxops × oracle, > SLO | hpa | keda |");
    out.println("|---:|---|---:|---:|---:|");
    for (double start : START_SECONDS) {
      Simulator simulator =
          new Simulator(gpu, start, EngineBuild.NEVER, Simulations.DEFAULT_SLO_SECONDS);
      for (String name : TraceGenerator.NAMES) {
        Trace trace = TraceCsv.load(name);
        double oracle = Simulations.oracleGpuHours(trace, gpu);
        out.printf(
            Locale.ROOT,
            "| %.0f | %s | %s | %s | %s |%n",
            start,
            name,
            cell(simulator.run(trace, fluxops(policy)), oracle),
            cell(
                simulator.run(trace, new HpaBaseline(MAX_REPLICAS, policy.targetQueueDepth())),
                oracle),
            cell(
                simulator.run(trace, new KedaBaseline(MAX_REPLICAS, policy.targetQueueDepth())),
                oracle));
      }
    }
    out.println();
    StringBuilder header = new StringBuilder("| trace |");
    StringBuilder rule = new StringBuilder("|---|");
    for (int window : DOWN_WINDOW_SECONDS) {
      header.append(" fluxops, ").append(window).append(" s window |");
      rule.append("---:|");
    }
    out.println(header);
    out.println(rule);
    Simulator simulator = Simulations.simulator(gpu, EngineBuild.NEVER);
    for (String name : TraceGenerator.NAMES) {
      Trace trace = TraceCsv.load(name);
      double oracle = Simulations.oracleGpuHours(trace, gpu);
      StringBuilder row = new StringBuilder("| ").append(name).append(" |");
      for (int window : DOWN_WINDOW_SECONDS) {
        ScalingPolicy windowed =
            policy.withWindows(policy.scaleUpStabilization(), Duration.ofSeconds(window));
        row.append(' ').append(cell(simulator.run(trace, fluxops(windowed)), oracle)).append(" |");
      }
      out.println(row);
    }
  }

  private static AutoscalerStrategy fluxops(ScalingPolicy policy) {
    return new AutoscalerStrategy(policy, AutoscalerStrategy.DEFAULT_POLL_SECONDS);
  }

  private static String cell(SimulationResult result, double oracle) {
    return String.format(
        Locale.ROOT, "%.2f×, %.2f %%", result.gpuHours() / oracle, 100 * result.shareOverSlo());
  }

  /** Every strategy on every committed trace, in report order. */
  public static List<List<SimulationResult>> run(GpuType gpu) {
    List<List<SimulationResult>> rows = new ArrayList<>();
    for (String name : TraceGenerator.NAMES) {
      rows.add(compare(TraceCsv.load(name), gpu));
    }
    return rows;
  }

  /** FluxOps, HPA, KEDA and fixed-at-peak on one trace. */
  public static List<SimulationResult> compare(Trace trace, GpuType gpu) {
    Simulator simulator = Simulations.simulator(gpu, EngineBuild.NEVER);
    ScalingPolicy policy = policy(gpu);
    double target = policy.targetQueueDepth();
    return List.of(
        Simulations.simulate(trace, gpu, policy),
        simulator.run(trace, new HpaBaseline(MAX_REPLICAS, target)),
        simulator.run(trace, new KedaBaseline(MAX_REPLICAS, target)),
        Simulations.fixedAtPeak(trace, simulator, MAX_REPLICAS * 2, WITHIN_SLO));
  }

  /** Prints the results as a Markdown table. */
  public static void print(GpuType gpu, List<List<SimulationResult>> rows, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "GPU %s: %.3f s per image, %.0f s pod start; target queue depth %.0f; SLO %.0f s wait;"
            + " max %d replicas%n%n",
        gpu.value(),
        gpu.secondsPerImage(),
        gpu.modelLoadSeconds(),
        policy(gpu).targetQueueDepth(),
        Simulations.DEFAULT_SLO_SECONDS,
        MAX_REPLICAS);
    out.println(
        "| trace | strategy | GPU-hours | × oracle | p50 wait s | p95 wait s | > SLO | peak pods"
            + " | pod starts |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (List<SimulationResult> results : rows) {
      Trace trace = TraceCsv.load(results.get(0).trace());
      double oracle = Simulations.oracleGpuHours(trace, gpu);
      for (SimulationResult r : results) {
        out.printf(
            Locale.ROOT,
            "| %s | %s | %.2f | %.2f | %.1f | %.1f | %.2f %% | %d | %d |%n",
            r.trace(),
            r.strategy(),
            r.gpuHours(),
            r.gpuHours() / oracle,
            r.p50WaitSeconds(),
            r.p95WaitSeconds(),
            100 * r.shareOverSlo(),
            r.peakReplicas(),
            r.podStarts());
      }
      double clairvoyant = Simulations.clairvoyantGpuHours(trace, gpu, CLAIRVOYANT_BUCKET_SECONDS);
      out.printf(
          Locale.ROOT,
          "| %s | clairvoyant, whole GPUs per 10 min | %.2f | %.2f | | | | | |%n",
          trace.name(),
          clairvoyant,
          clairvoyant / oracle);
      out.printf(Locale.ROOT, "| %s | oracle | %.2f | 1.00 | | | | | |%n", trace.name(), oracle);
    }
  }
}
