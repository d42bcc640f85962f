package io.fluxops.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.operator.testing.Kubeconfigs;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's command line as a person meets it: the real {@code Main} in its own JVM, against
 * API servers and kubeconfigs that are wrong in each way a person gets them wrong. Each answer is
 * one line, within seconds, with an exit code that is not 0.
 */
class OperatorCommandLineTest {

  /** The start-up check's deadline plus a JVM start on a loaded two-core machine. */
  private static final Duration WITHIN = Duration.ofSeconds(25);

  @TempDir Path home;

  record Outcome(int exitCode, String stdout, String stderr, Duration took) {
    List<String> errorLines() {
      return stderr.lines().filter(l -> !l.isBlank()).filter(l -> !isLog(l)).toList();
    }

    private static boolean isLog(String line) {
      return line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ .*");
    }
  }

  @Test
  void anApiServerThatAcceptsConnectionsButNeverAnswersIsReportedWithinSeconds() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                while (!silent.isClosed()) {
                  try {
                    held.add(silent.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();

      Outcome outcome = run(kubeconfig("https://127.0.0.1:" + silent.getLocalPort()));

      assertThat(outcome.exitCode()).isEqualTo(1);
      assertThat(outcome.errorLines())
          .singleElement()
          .asString()
          .startsWith("fluxops: the Kubernetes API at https://127.0.0.1:")
          .contains("sent no answer within 5 s");
      assertThat(outcome.took()).isLessThan(WITHIN);
    }
  }

  @Test
  void aRefusedApiServerIsReportedWithinSeconds() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }

    Outcome outcome = run(kubeconfig("https://127.0.0.1:" + closed));

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.errorLines())
        .singleElement()
        .asString()
        .contains("cannot reach the Kubernetes API at https://127.0.0.1:" + closed)
        .contains("connection refused");
    assertThat(outcome.took()).isLessThan(WITHIN);
  }

  @Test
  void anUnresolvableApiServerIsReportedWithinSeconds() throws Exception {
    Outcome outcome = run(kubeconfig("https://fluxops-no-such-host.invalid:6443"));

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.errorLines())
        .singleElement()
        .asString()
        .contains("cannot resolve the host fluxops-no-such-host.invalid");
    assertThat(outcome.took()).isLessThan(WITHIN);
  }

  @Test
  void aKubeconfigVariableThatNamesAMissingFileIsNamedNotIgnored() throws Exception {
    Path missing = home.resolve("no-such-kubeconfig");

    Outcome outcome = run(Map.of("KUBECONFIG", missing.toString()));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.errorLines())
        .singleElement()
        .asString()
        .isEqualTo(
            "fluxops: KUBECONFIG="
                + missing
                + " names no file that exists: point it at your kubeconfig, or unset it to use"
                + " ~/.kube/config or the in-cluster service account");
  }

  @Test
  void aMalformedKubeconfigIsOneLineNotAStackTrace() throws Exception {
    Path bad = home.resolve("kubeconfig");
    Files.writeString(bad, "apiVersion: v1\nclusters: [[[\n");

    Outcome outcome = run(Map.of("KUBECONFIG", bad.toString()));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.errorLines())
        .singleElement()
        .asString()
        .startsWith("fluxops: cannot read the kubeconfig " + bad + ": ")
        .doesNotContain("\tat ");
  }

  @Test
  void noKubeconfigOutsideAClusterSaysSo() throws Exception {
    Outcome outcome = run(Map.of());

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.errorLines())
        .singleElement()
        .asString()
        .contains("No kubeconfig (KUBECONFIG is unset and")
        .contains("not in a cluster");
  }

  @Test
  void anUnknownArgumentIsOneLineAndExitCodeTwo() throws Exception {
    Outcome outcome = run(Map.of(), "sandbox");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.errorLines())
        .singleElement()
        .asString()
        .isEqualTo(
            "fluxops: Unmatched argument at index 0: 'sandbox' (fluxops-operator --help lists the"
                + " options)");
  }

  @Test
  void aBadSettingIsOneLineAndExitCodeTwo() throws Exception {
    Outcome outcome = run(Map.of("FLUXOPS_HTTP_PORT", "eighty"));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.errorLines())
        .containsExactly(
            "fluxops: FLUXOPS_HTTP_PORT=\"eighty\" is not a whole number from 0 to 65535");
  }

  @Test
  void helpListsTheSettingsAndVersionNamesTheRelease() throws Exception {
    Outcome help = run(Map.of(), "--help");
    Outcome version = run(Map.of(), "--version");

    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout())
        .startsWith("Usage: fluxops-operator [-hV]")
        .contains("FLUXOPS_API_UNREACHABLE_SECONDS (default: \"60\")");
    assertThat(version.exitCode()).isZero();
    assertThat(version.stdout()).startsWith("FluxOps ");
  }

  private Map<String, String> kubeconfig(String server) throws IOException {
    Path file = Kubeconfigs.write(home.resolve("kubeconfig-" + System.nanoTime()), server);
    return Map.of("KUBECONFIG", file.toString());
  }

  private Outcome run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Duser.home=" + home);
    command.add("io.fluxops.operator.Main");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("KUBE") || k.startsWith("FLUXOPS_"));
    builder.environment().put("HOME", home.toString());
    // Any free port: the operator must not take 8080 beside other builds on this machine.
    builder.environment().put("FLUXOPS_HTTP_PORT", "0");
    builder.environment().putAll(env);
    Path stdout = home.resolve("stdout-" + System.nanoTime());
    Path stderr = home.resolve("stderr-" + System.nanoTime());
    builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "the operator did not exit within 60 s: " + Files.readString(stderr));
    }
    return new Outcome(
        process.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8),
        Duration.ofNanos(System.nanoTime() - start));
  }
}
