package io.fluxops.operator;

import io.fluxops.operator.config.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;

/**
 * How every FluxOps command line behaves (the operator's and the tools'): picocli with {@code
 * --help} and {@code --version}, and a usage error as one line on stderr with exit code 2.
 */
public final class CommandLines {

  /** The exit code of a usage error. */
  public static final int USAGE_ERROR = 2;

  private CommandLines() {}

  /**
   * The command line for {@code command}; a usage error prints {@code "<prefix> <sub>: <message>
   * (--help lists the options)"}.
   */
  public static CommandLine create(Object command, String prefix) {
    CommandLine cmd = new CommandLine(command);
    cmd.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine failed = e.getCommandLine();
          String name = failed.getCommandSpec().qualifiedName(" ");
          String where =
              failed.getParent() == null ? prefix : prefix + " " + failed.getCommandName();
          e.getCommandLine()
              .getErr()
              .println(
                  where
                      + ": "
                      + e.getMessage().replaceAll("\\s+", " ").strip()
                      + " ("
                      + name
                      + " --help lists the options)");
          return USAGE_ERROR;
        });
    return cmd;
  }

  /** {@code --version}: the FluxOps version the build stamped. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"FluxOps " + BuildInfo.version()};
    }
  }
}
