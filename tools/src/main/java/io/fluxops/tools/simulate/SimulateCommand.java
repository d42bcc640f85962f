package io.fluxops.tools.simulate;

import io.fluxops.common.GpuType;
import io.fluxops.operator.CommandLines;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar fluxops-tools.jar simulate [rtx-4090|blackwell|sensitivity]}: the autoscaling
 * benchmark of BENCHMARKS.md, replayed over the committed traces.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLines.Version.class,
    description =
        "Replays the committed traces through FluxOps' autoscaler, HPA and KEDA baselines, fixed"
            + " provisioning and the oracle, and prints BENCHMARKS.md's tables.")
public final class SimulateCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "rtx-4090|blackwell|sensitivity",
      description =
          "The GPU type to simulate (default rtx-4090), or sensitivity: start-up time and"
              + " scale-down window on an RTX 4090.")
  private String what = GpuType.RTX_4090.value();

  @Override
  public Integer call() {
    PrintStream out = System.out;
    if (what.equals("sensitivity")) {
      Benchmark.printSensitivity(GpuType.RTX_4090, out);
      return 0;
    }
    GpuType gpu;
    try {
      gpu = GpuType.parse(what);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage() + ", or sensitivity");
    }
    Benchmark.print(gpu, Benchmark.run(gpu), out);
    return 0;
  }
}
