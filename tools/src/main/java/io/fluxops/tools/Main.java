package io.fluxops.tools;

import io.fluxops.operator.CommandLines;
import io.fluxops.tools.plan.PlanCommand;
import io.fluxops.tools.sandbox.SandboxCommand;
import io.fluxops.tools.simulate.SimulateCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar fluxops-tools.jar COMMAND}: the laptop tools, apart from the operator's jar and
 * image.
 */
@Command(
    name = "fluxops-tools",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLines.Version.class,
    description = "FluxOps' laptop tools; the operator itself is fluxops-operator.jar.",
    subcommands = {SandboxCommand.class, PlanCommand.class, SimulateCommand.class})
public final class Main implements Callable<Integer> {

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The tools' command line: one-line usage errors (exit code 2) for every command. */
  public static CommandLine commandLine() {
    return CommandLines.create(new Main(), "fluxops");
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "name a command: sandbox, plan or simulate");
  }
}
