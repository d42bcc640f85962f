package io.fluxops.tools;

import io.fluxops.tools.plan.PlanCommand;
import io.fluxops.tools.sandbox.SandboxCommand;
import io.fluxops.tools.simulate.Benchmark;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar fluxops-tools.jar COMMAND}: the laptop tools, apart from the operator's jar and
 * image.
 */
public final class Main {

  static final int USAGE_ERROR = 2;

  private static final String USAGE =
      "usage: java -jar fluxops-tools.jar sandbox|plan|simulate [OPTIONS]\n\n"
          + "  sandbox   runs the real operator, autoscaler and metering sidecars on this machine\n"
          + "            against a simulated cluster (sandbox --help)\n"
          + "  plan      sizes a deployment and its monthly cost (plan --help)\n"
          + "  simulate  replays the committed traces through the autoscaler and its peers\n"
          + "            (simulate [rtx-4090|blackwell|sensitivity])";

  private Main() {}

  public static void main(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? USAGE_ERROR : 0);
      return;
    }
    List<String> rest = List.of(args).subList(1, args.length);
    switch (args[0]) {
      case "sandbox" -> {
        quietLogs();
        System.exit(SandboxCommand.run(rest, System.out, System.err));
      }
      case "plan" -> System.exit(PlanCommand.run(rest, System.out, System.err));
      case "simulate" -> Benchmark.main(Arrays.copyOfRange(args, 1, args.length));
      default -> {
        System.err.println("fluxops-tools: unknown command \"" + args[0] + "\"\n" + USAGE);
        System.exit(USAGE_ERROR);
      }
    }
  }

  /** The sandbox's table is the output; the operator's own log would scroll it away. */
  private static void quietLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
      for (ch.qos.logback.classic.Logger logger : context.getLoggerList()) {
        if (logger.getLevel() != null) {
          logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
      }
      // The client warns that v1alpha1 is not a stable version: true, and not news here.
      context.getLogger("io.fabric8").setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }
}
