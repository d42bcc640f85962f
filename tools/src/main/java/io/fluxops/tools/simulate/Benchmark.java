package io.fluxops.tools.simulate;

import io.fluxops.autoscale.Priors;
import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.common.GpuType;
import io.fluxops.operator.config.OperatorOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The autoscaling comparison of BENCHMARKS.md: traces replayed on one GPU type through FluxOps'
 * scaler (with the pods' image counts, and on the queue rule without them), the HPA and KEDA
 * baselines, fixed provisioning at peak, the clairvoyant whole-GPU bound and the oracle. {@link
 * SimulateCommand} prints it.
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

  /** Scale-down windows the window table compares, in seconds. */
  public static final List<Integer> DOWN_WINDOW_SECONDS = List.of(30, 60, 120, 180, 300);

  /** Windows at which every strategy is compared alike, in seconds. */
  public static final List<Integer> SAME_WINDOW_SECONDS = List.of(60, 300);

  /** Seeds of the generated traces, per shape: none of them is a committed trace's. */
  public static final List<Long> GENERATED_SEEDS = List.of(101L, 202L, 303L);

  /** Strategy names, as the tables print them. */
  public static final String FLUXOPS = "fluxops";

  /** FluxOps without image counts: the queue rule it falls back to. */
  public static final String FLUXOPS_QUEUE = "fluxops, queue rule (no counts)";

  /**
   * What a run simulates: the GPU type, how long a pod takes to start, and FluxOps' scale-down
   * window ({@code null}: its defaults, 60 s on the arrival rule and 300 s on the queue rule).
   */
  public record Setup(GpuType gpu, double podStartSeconds, Double windowSeconds) {

    /** The GPU type with its estimated start and FluxOps' default windows. */
    public static Setup defaults(GpuType gpu) {
      return new Setup(gpu, gpu.modelLoadSeconds(), null);
    }

    Simulator simulator() {
      return new Simulator(
          gpu, podStartSeconds, EngineBuild.NEVER, Simulations.DEFAULT_SLO_SECONDS);
    }

    Setup withWindow(double seconds) {
      return new Setup(gpu, podStartSeconds, seconds);
    }

    Setup withStart(double seconds) {
      return new Setup(gpu, seconds, windowSeconds);
    }
  }

  private Benchmark() {}

  /**
   * FluxOps' policy in the benchmark: the documented defaults, allowed to go to zero, with the
   * target queue depth suggested for the GPU (2 for an RTX 4090, the default).
   */
  public static ScalingPolicy policy(GpuType gpu) {
    return ScalingPolicy.withRange(0, MAX_REPLICAS)
        .withTargetQueueDepth(gpu.suggestedTargetQueueDepth(Simulations.DEFAULT_SLO_SECONDS));
  }

  /**
   * What the operator tells the scaler about a GPU type before it has measured anything: its
   * published time per image, the estimated pod start, and an image's worth in GPU-seconds at the
   * operator's default prices (the managed API's $0.04 over the GPU's hourly price). The simulated
   * pod start may differ; the scaler measures it.
   */
  public static Priors priors(GpuType gpu) {
    double gpuPerHour =
        Double.parseDouble(
            (gpu == GpuType.RTX_4090
                    ? OperatorOptions.GPU_PRICE_RTX_4090
                    : OperatorOptions.GPU_PRICE_BLACKWELL)
                .defaultValue());
    double apiPerImage = Double.parseDouble(OperatorOptions.API_PRICE_PER_IMAGE.defaultValue());
    return new Priors(
        gpu.secondsPerImage(), gpu.modelLoadSeconds(), apiPerImage / gpuPerHour * 3600);
  }

  /** FluxOps as the operator runs it: queue readings every 5 s, image counts every 15 s. */
  public static AutoscalerStrategy fluxops(Setup setup) {
    return new AutoscalerStrategy(
        FLUXOPS,
        windowed(setup),
        priors(setup.gpu()),
        AutoscalerStrategy.DEFAULT_POLL_SECONDS,
        AutoscalerStrategy.DEFAULT_COUNT_SECONDS);
  }

  /** FluxOps without image counts: the queue rule. */
  public static AutoscalerStrategy fluxopsQueueRule(Setup setup) {
    return new AutoscalerStrategy(
        FLUXOPS_QUEUE,
        windowed(setup),
        priors(setup.gpu()),
        AutoscalerStrategy.DEFAULT_POLL_SECONDS,
        0);
  }

  private static ScalingPolicy windowed(Setup setup) {
    ScalingPolicy policy = policy(setup.gpu());
    return setup.windowSeconds() == null
        ? policy
        : policy.withWindows(Duration.ZERO, Duration.ofSeconds(Math.round(setup.windowSeconds())));
  }

  /** Every strategy on every committed trace, in report order. */
  public static List<List<SimulationResult>> run(Setup setup) {
    List<List<SimulationResult>> rows = new ArrayList<>();
    for (String name : TraceGenerator.NAMES) {
      rows.add(compare(TraceCsv.load(name), setup));
    }
    return rows;
  }

  /**
   * FluxOps (with counts, then the queue rule), HPA and KEDA at their defaults, and fixed-at-peak
   * on one trace.
   */
  public static List<SimulationResult> compare(Trace trace, Setup setup) {
    Simulator simulator = setup.simulator();
    double target = policy(setup.gpu()).targetQueueDepth();
    return List.of(
        simulator.run(trace, fluxops(setup)),
        simulator.run(trace, fluxopsQueueRule(setup)),
        simulator.run(trace, new HpaBaseline(MAX_REPLICAS, target)),
        simulator.run(trace, new KedaBaseline(MAX_REPLICAS, target)),
        Simulations.fixedAtPeak(trace, simulator, MAX_REPLICAS * 2, WITHIN_SLO));
  }

  /** Prints the results as a Markdown table, then which targets each trace meets. */
  public static void print(
      Setup setup, List<Trace> traces, List<List<SimulationResult>> rows, PrintStream out) {
    GpuType gpu = setup.gpu();
    out.printf(
        Locale.ROOT,
        "GPU %s: %.3f s per image, %.0f s pod start; target queue depth %.0f; SLO %.0f s wait;"
            + " max %d replicas; scale-down window: fluxops %s, HPA and KEDA 300 s%n%n",
        gpu.value(),
        gpu.secondsPerImage(),
        setup.podStartSeconds(),
        policy(gpu).targetQueueDepth(),
        Simulations.DEFAULT_SLO_SECONDS,
        MAX_REPLICAS,
        setup.windowSeconds() == null
            ? "60 s or the measured pod start if longer (queue rule 300 s)"
            : String.format(Locale.ROOT, "%.0f s", setup.windowSeconds()));
    out.println(
        "| trace | strategy | GPU-hours | × oracle | p50 wait s | p95 wait s | > SLO | peak pods"
            + " | pod starts |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (int i = 0; i < rows.size(); i++) {
      Trace trace = traces.get(i);
      double oracle = Simulations.oracleGpuHours(trace, gpu);
      for (SimulationResult r : rows.get(i)) {
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
    out.println();
    printTargets(setup, traces, rows, out);
  }

  /** The targets of the comparison, judged on one trace's results. */
  public record Verdict(
      String trace,
      double gpuHours,
      double bestBaselineGpuHours,
      double shareOverSlo,
      double bestBaselineShareOverSlo,
      double fixedGpuHours,
      double clairvoyantGpuHours) {

    /** Fewer GPU-hours than both HPA and KEDA. */
    public boolean fewerGpuHours() {
      return gpuHours < bestBaselineGpuHours;
    }

    /** No more images over the SLO than either (a share within one image in 100,000 is equal). */
    public boolean noMoreOverSlo() {
      return shareOverSlo <= bestBaselineShareOverSlo + 1e-5;
    }

    /** At most 5 % above the best fixed provisioning. */
    public boolean withinFivePercentOfFixed() {
      return gpuHours <= 1.05 * fixedGpuHours;
    }
  }

  /** The verdict on one trace's results, as {@link #compare} orders them. */
  public static Verdict verdict(Trace trace, GpuType gpu, List<SimulationResult> results) {
    SimulationResult ours = results.get(0);
    SimulationResult hpa = results.get(2);
    SimulationResult keda = results.get(3);
    return new Verdict(
        trace.name(),
        ours.gpuHours(),
        Math.min(hpa.gpuHours(), keda.gpuHours()),
        ours.shareOverSlo(),
        Math.min(hpa.shareOverSlo(), keda.shareOverSlo()),
        results.get(4).gpuHours(),
        Simulations.clairvoyantGpuHours(trace, gpu, CLAIRVOYANT_BUCKET_SECONDS));
  }

  /** One row per trace: FluxOps against the targets. */
  public static void printTargets(
      Setup setup, List<Trace> traces, List<List<SimulationResult>> rows, PrintStream out) {
    out.println(
        "| trace | fluxops GPU-h vs cheaper of HPA/KEDA | > SLO vs the lower of HPA/KEDA | vs best"
            + " fixed | × clairvoyant |");
    out.println("|---|---:|---:|---:|---:|");
    int gpu = 0;
    int slo = 0;
    int fixed = 0;
    for (int i = 0; i < rows.size(); i++) {
      Verdict v = verdict(traces.get(i), setup.gpu(), rows.get(i));
      gpu += v.fewerGpuHours() ? 1 : 0;
      slo += v.noMoreOverSlo() ? 1 : 0;
      fixed += v.withinFivePercentOfFixed() ? 1 : 0;
      out.printf(
          Locale.ROOT,
          "| %s | %+.1f %% %s | %.2f %% vs %.2f %% %s | %+.1f %% %s | %.2f× |%n",
          v.trace(),
          100 * (v.gpuHours() / v.bestBaselineGpuHours() - 1),
          v.fewerGpuHours() ? "✓" : "✗",
          100 * v.shareOverSlo(),
          100 * v.bestBaselineShareOverSlo(),
          v.noMoreOverSlo() ? "✓" : "✗",
          100 * (v.gpuHours() / v.fixedGpuHours() - 1),
          v.withinFivePercentOfFixed() ? "✓" : "✗",
          v.gpuHours() / v.clairvoyantGpuHours());
    }
    out.printf(
        Locale.ROOT,
        "| **%d traces** | **%d fewer** | **%d no more** | **%d within 5 %%** | |%n",
        rows.size(),
        gpu,
        slo,
        fixed);
  }

  /**
   * Every strategy at the same scale-down window ({@link #SAME_WINDOW_SECONDS}), on the committed
   * traces: cells are GPU-hours over the oracle's, and the share of images over the SLO.
   */
  public static void printSameWindows(GpuType gpu, PrintStream out) {
    out.println("| window s | trace | fluxops | hpa | keda |");
    out.println("|---:|---|---:|---:|---:|");
    double target = policy(gpu).targetQueueDepth();
    for (int window : SAME_WINDOW_SECONDS) {
      Setup setup = Setup.defaults(gpu).withWindow(window);
      Simulator simulator = setup.simulator();
      for (String name : TraceGenerator.NAMES) {
        Trace trace = TraceCsv.load(name);
        double oracle = Simulations.oracleGpuHours(trace, gpu);
        out.printf(
            Locale.ROOT,
            "| %d | %s | %s | %s | %s |%n",
            window,
            name,
            cell(simulator.run(trace, fluxops(setup)), oracle),
            cell(simulator.run(trace, new HpaBaseline(MAX_REPLICAS, target, window)), oracle),
            cell(simulator.run(trace, new KedaBaseline(MAX_REPLICAS, target, window)), oracle));
      }
    }
  }

  /**
   * Two Markdown tables: FluxOps, HPA and KEDA at their defaults on every trace for each of {@link
   * #START_SECONDS}; then FluxOps with each of {@link #DOWN_WINDOW_SECONDS}.
   */
  public static void printSensitivity(GpuType gpu, PrintStream out) {
    double target = policy(gpu).targetQueueDepth();
    out.println("| pod start s | trace | fluxops × oracle, > SLO | hpa | keda |");
    out.println("|---:|---|---:|---:|---:|");
    for (double start : START_SECONDS) {
      Setup setup = Setup.defaults(gpu).withStart(start);
      Simulator simulator = setup.simulator();
      for (String name : TraceGenerator.NAMES) {
        Trace trace = TraceCsv.load(name);
        double oracle = Simulations.oracleGpuHours(trace, gpu);
        out.printf(
            Locale.ROOT,
            "| %.0f | %s | %s | %s | %s |%n",
            start,
            name,
            cell(simulator.run(trace, fluxops(setup)), oracle),
            cell(simulator.run(trace, new HpaBaseline(MAX_REPLICAS, target)), oracle),
            cell(simulator.run(trace, new KedaBaseline(MAX_REPLICAS, target)), oracle));
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
    for (String name : TraceGenerator.NAMES) {
      Trace trace = TraceCsv.load(name);
      double oracle = Simulations.oracleGpuHours(trace, gpu);
      StringBuilder row = new StringBuilder("| ").append(name).append(" |");
      for (int window : DOWN_WINDOW_SECONDS) {
        Setup setup = Setup.defaults(gpu).withWindow(window);
        row.append(' ')
            .append(cell(setup.simulator().run(trace, fluxops(setup)), oracle))
            .append(" |");
      }
      out.println(row);
    }
  }

  /** Shares of each hour's load that {@link #printSchedules} keeps warm, with hindsight. */
  public static final List<Double> SCHEDULED_SHARES = List.of(0.5, 1.0, 1.2);

  /**
   * Whether scheduled warm capacity ({@code autoscaling.schedules}, as AIBrix has it) would pay on
   * the diurnal trace: FluxOps with, for every hour, a lowest size of a share of that hour's load
   * in replicas (its images times the time per image, over an hour), known with hindsight, so the
   * best any schedule could do; also the same share of the next hour's load when higher, to be warm
   * before a ramp. Cells as the other tables: GPU-hours × oracle, share over the SLO, pod starts.
   */
  public static void printSchedules(GpuType gpu, PrintStream out) {
    Trace trace = TraceCsv.load("diurnal");
    double oracle = Simulations.oracleGpuHours(trace, gpu);
    int hours = (int) Math.ceil(trace.durationSeconds() / 3600);
    double[] load = new double[hours + 1];
    for (Trace.Arrival arrival : trace.arrivals()) {
      load[(int) (arrival.atSecond() / 3600)] += arrival.images() * gpu.secondsPerImage() / 3600;
    }
    out.println("| pod start s | schedule | diurnal: × oracle, > SLO, pod starts |");
    out.println("|---:|---|---:|");
    for (double start : List.of(60.0, 120.0)) {
      Setup setup = Setup.defaults(gpu).withStart(start);
      Simulator simulator = setup.simulator();
      out.printf(
          Locale.ROOT,
          "| %.0f | none | %s |%n",
          start,
          scheduleCell(simulator.run(trace, fluxops(setup)), oracle));
      for (double share : SCHEDULED_SHARES) {
        for (boolean ahead : List.of(false, true)) {
          AutoscalerStrategy scheduled =
              fluxops(setup)
                  .withSchedule(
                      FLUXOPS + ", scheduled",
                      second -> {
                        int hour = Math.min(hours - 1, (int) (second / 3600));
                        double need = ahead ? Math.max(load[hour], load[hour + 1]) : load[hour];
                        return (int) Math.floor(share * need);
                      });
          out.printf(
              Locale.ROOT,
              "| %.0f | %.0f %% of %s | %s |%n",
              start,
              100 * share,
              ahead ? "this or the next hour's load" : "the hour's load",
              scheduleCell(simulator.run(trace, scheduled), oracle));
        }
      }
    }
  }

  private static String scheduleCell(SimulationResult result, double oracle) {
    return String.format(
        Locale.ROOT,
        "%.3f×, %.3f %%, %d",
        result.gpuHours() / oracle,
        100 * result.shareOverSlo(),
        result.podStarts());
  }

  /** The traces of {@link #printGenerated}: every shape from each of {@link #GENERATED_SEEDS}. */
  public static List<Trace> generatedTraces() {
    List<Trace> traces = new ArrayList<>();
    for (String shape : TraceGenerator.NAMES) {
      for (long seed : GENERATED_SEEDS) {
        traces.add(TraceGenerator.generate(shape, seed));
      }
    }
    return traces;
  }

  /** The comparison and the targets on traces made from other seeds, with drawn parameters. */
  public static void printGenerated(Setup setup, PrintStream out) {
    List<Trace> traces = generatedTraces();
    List<List<SimulationResult>> rows = new ArrayList<>();
    for (Trace trace : traces) {
      rows.add(compare(trace, setup));
    }
    printTargets(setup, traces, rows, out);
  }

  private static String cell(SimulationResult result, double oracle) {
    return String.format(
        Locale.ROOT, "%.2f×, %.2f %%", result.gpuHours() / oracle, 100 * result.shareOverSlo());
  }
}
