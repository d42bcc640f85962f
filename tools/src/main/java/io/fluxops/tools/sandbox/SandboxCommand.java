package io.fluxops.tools.sandbox;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code java -jar fluxops-tools.jar sandbox [--duration 30s] [--metrics-port 8080] [FILE...]}. */
public final class SandboxCommand {

  /** Exit code for a bad argument. */
  public static final int USAGE_ERROR = 2;

  static final String USAGE =
      "usage: java -jar fluxops-tools.jar sandbox [--duration 30s] [--metrics-port 8080]"
          + " [FILE.yaml...]\n"
          + "Runs the operator against a simulated cluster on this machine, with the FluxDeployments"
          + " in examples/ (or FILEs).";

  private SandboxCommand() {}

  /** Runs the sandbox; returns the exit code: 0, 1 when images were not reported once, 2 usage. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    SandboxOptions options;
    try {
      if (args.contains("--help") || args.contains("-h")) {
        out.println(USAGE);
        return 0;
      }
      options = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("fluxops sandbox: " + e.getMessage());
      return USAGE_ERROR;
    }
    Sandbox sandbox = new Sandbox(options, out);
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              sandbox.requestStop();
              try {
                // Let run() stop the pods and their sidecar processes before the JVM exits.
                if (!done.await(120, TimeUnit.SECONDS)) {
                  ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      SandboxReport report = sandbox.run();
      return report.everyImageReportedOnce() ? 0 : 1;
    } catch (Exception e) {
      err.println("fluxops sandbox: " + e.getMessage());
      return 1;
    } finally {
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
      done.countDown();
    }
  }

  static SandboxOptions parse(List<String> args) {
    Optional<Duration> duration = Optional.empty();
    int metricsPort = 8080;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String value = null;
      if (arg.startsWith("--") && arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
        arg = arg.substring(0, arg.indexOf('='));
      }
      switch (arg) {
        case "--duration" -> {
          value = value != null ? value : next(args, ++i, arg);
          duration = Optional.of(duration(value));
        }
        case "--metrics-port" -> {
          value = value != null ? value : next(args, ++i, arg);
          try {
            metricsPort = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "--metrics-port must be a port, got '" + value + "'");
          }
        }
        default -> {
          if (arg.startsWith("-")) {
            throw new IllegalArgumentException(
                "unknown option '" + arg + "': use --duration, --metrics-port or file names");
          }
          Path file = Path.of(arg);
          if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + arg);
          }
          files.add(file);
        }
      }
    }
    return new SandboxOptions(
        duration, files, metricsPort, meteringJar(), workDir(), System.console() != null);
  }

  private static String next(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }

  static Duration duration(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
      }
      if (v.endsWith("s")) {
        v = v.substring(0, v.length() - 1);
      }
      long seconds = Long.parseLong(v);
      if (seconds < 5) {
        throw new IllegalArgumentException("--duration must be at least 5s, got '" + value + "'");
      }
      return Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--duration must be seconds or minutes such as 30s or 2m, got '" + value + "'");
    }
  }

  /**
   * The metering sidecar's jar: {@code FLUXOPS_SANDBOX_METERING_JAR}, else beside the tools' jar in
   * the build tree, else {@code metering/target/} under the current directory.
   */
  static Path meteringJar() {
    String configured = System.getenv("FLUXOPS_SANDBOX_METERING_JAR");
    List<Path> candidates = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    try {
      Path self =
          Path.of(SandboxCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // tools/target/fluxops-tools.jar or tools/target/classes -> metering/target/
      candidates.add(
          self.toAbsolutePath()
              .getParent()
              .getParent()
              .getParent()
              .resolve("metering/target/fluxops-metering.jar"));
    } catch (Exception e) {
      // no code source: fall back to the working directory
    }
    candidates.add(Path.of("metering/target/fluxops-metering.jar"));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new IllegalArgumentException(
        "the metering sidecar's jar is not built (looked for "
            + candidates
            + "): run ./mvnw -B -q -pl tools -am package -DskipTests first");
  }

  private static Path workDir() {
    try {
      return Files.createTempDirectory("fluxops-sandbox-");
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot create a temporary directory: " + e.getMessage());
    }
  }
}
