package io.fluxops.tools;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code fluxops-tools COMMAND ARGS} in this JVM, as the jar's main would. */
public final class Commands {

  private Commands() {}

  /** The exit code of {@code fluxops-tools command args}, its output in {@code out}/{@code err}. */
  public static int run(String command, List<String> args, PrintStream out, PrintStream err) {
    var cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(args);
    return cmd.execute(all.toArray(String[]::new));
  }
}
