package io.fluxops.tools.simulate;

import io.fluxops.common.GpuType;
import io.fluxops.operator.CommandLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar fluxops-tools.jar simulate [table] [--trace FILE.csv] [--gpu TYPE] [--start S]
 * [--window S]}: the autoscaling benchmark of BENCHMARKS.md, over the committed traces or a trace
 * of the user's own.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLines.Version.class,
    description = {
      "Replays traces through FluxOps' autoscaler (with the pods' image counts, and on the queue"
          + " rule without them), the HPA and KEDA at their defaults, fixed provisioning, the"
          + " clairvoyant whole-GPU bound and the oracle, and prints BENCHMARKS.md's tables.",
      "A trace file is CSV: '#' comment lines, a '# duration_seconds=<s>' line, the header"
          + " 'at_second,images', then one row per request (seconds from the start, images)."
    })
public final class SimulateCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "table",
      description =
          "defaults (the committed traces, default), same-windows (every strategy at 60 s and 300"
              + " s), sensitivity (pod start 30/60/120 s, and FluxOps' window), generated (traces"
              + " of every shape from other seeds), schedules (scheduled warm capacity on"
              + " diurnal, with hindsight); rtx-4090 or blackwell as a shorthand for"
              + " --gpu with the defaults table.")
  private String table = "defaults";

  @Option(
      names = "--trace",
      paramLabel = "FILE.csv",
      description = "Replay this trace instead of the committed ones.")
  private Path trace;

  @Option(
      names = "--gpu",
      paramLabel = "TYPE",
      description = "GPU type: rtx-4090 (default) or blackwell.")
  private String gpu;

  @Option(
      names = "--start",
      paramLabel = "SECONDS",
      description = "Seconds from pod creation to ready (default: the GPU type's estimate, 60).")
  private Double start;

  @Option(
      names = "--window",
      paramLabel = "SECONDS",
      description =
          "FluxOps' scale-down window (default: its defaults, 60 s on image counts and 300 s on"
              + " the queue rule).")
  private Double window;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    String what = table;
    GpuType type = gpuType();
    if (what.equals("rtx-4090") || what.equals("blackwell")) {
      if (gpu != null && !gpu.equals(what)) {
        throw new ParameterException(
            spec.commandLine(), "'" + what + "' and --gpu " + gpu + " disagree: give one");
      }
      type = GpuType.parse(what);
      what = "defaults";
    }
    Benchmark.Setup setup = setup(type);
    if (trace != null) {
      if (!what.equals("defaults")) {
        throw new ParameterException(
            spec.commandLine(), "--trace prints the defaults table; drop '" + what + "'");
      }
      Trace replayed = read(trace);
      Benchmark.print(setup, List.of(replayed), List.of(Benchmark.compare(replayed, setup)), out);
      return 0;
    }
    switch (what) {
      case "defaults" -> {
        List<Trace> traces = new ArrayList<>();
        for (String name : TraceGenerator.NAMES) {
          traces.add(TraceCsv.load(name));
        }
        Benchmark.print(setup, traces, Benchmark.run(setup), out);
      }
      case "same-windows" -> Benchmark.printSameWindows(type, out);
      case "sensitivity" -> Benchmark.printSensitivity(type, out);
      case "generated" -> Benchmark.printGenerated(setup, out);
      case "schedules" -> Benchmark.printSchedules(type, out);
      default ->
          throw new ParameterException(
              spec.commandLine(),
              "unknown table '"
                  + what
                  + "': use defaults, same-windows, sensitivity, generated, schedules, rtx-4090 or"
                  + " blackwell");
    }
    return 0;
  }

  private GpuType gpuType() {
    if (gpu == null) {
      return GpuType.RTX_4090;
    }
    try {
      return GpuType.parse(gpu);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--gpu: " + e.getMessage());
    }
  }

  private Benchmark.Setup setup(GpuType type) {
    Benchmark.Setup defaults = Benchmark.Setup.defaults(type);
    double startSeconds = start == null ? defaults.podStartSeconds() : start;
    if (!(startSeconds >= 0) || Double.isInfinite(startSeconds)) {
      throw new ParameterException(
          spec.commandLine(), "--start must be 0 or more seconds, got " + start);
    }
    if (window != null && (!(window >= 0) || window.isInfinite())) {
      throw new ParameterException(
          spec.commandLine(), "--window must be 0 or more seconds, got " + window);
    }
    return new Benchmark.Setup(type, startSeconds, window);
  }

  private Trace read(Path file) throws IOException {
    String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
    try (InputStream in = Files.newInputStream(file)) {
      return TraceCsv.read(name, in);
    } catch (NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), "--trace: no such file " + file);
    } catch (IOException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--trace " + file + ": " + e.getMessage());
    }
  }
}
