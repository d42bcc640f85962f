package io.fluxops.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ToolsCommandLineTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sandbox", "plan", "simulate"})
  void everyCommandHasHelpAndVersion(String command) {
    String[] help = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
    assertThat(run(help)).isZero();
    assertThat(out.toString())
        .startsWith("Usage: fluxops-tools" + (command.isEmpty() ? "" : " " + command));

    String[] version =
        command.isEmpty() ? new String[] {"--version"} : new String[] {command, "--version"};
    assertThat(run(version)).isZero();
    assertThat(out.toString()).contains("FluxOps ");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "|fluxops: name a command: sandbox, plan or simulate",
        "deploy|fluxops: Unmatched argument at index 0: 'deploy'",
        "sandbox --duration 2s|fluxops sandbox: --duration must be at least 5s, got '2s'",
        "sandbox --metrics-port http|fluxops sandbox: Invalid value for option '--metrics-port'",
        "sandbox no-such-file.yaml|fluxops sandbox: no such file: no-such-file.yaml",
        "simulate h100|fluxops simulate: unknown table 'h100': use defaults, same-windows,",
        "simulate --gpu h100|fluxops simulate: --gpu: unknown GPU type 'h100'",
        "simulate --trace no-such.csv|fluxops simulate: --trace: no such file no-such.csv",
        "simulate --start -1|fluxops simulate: --start must be 0 or more seconds, got -1.0",
      })
  void usageErrorsAreOneLineAndExitCodeTwo(String args, String message) {
    int code = run(args == null ? new String[0] : args.split(" "));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith(message).endsWith(System.lineSeparator());
    assertThat(err.toString().strip()).doesNotContain("\n");
    assertThat(out.toString()).isEmpty();
  }
}
