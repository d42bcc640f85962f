package io.fluxops.tools.sandbox;

import io.fluxops.operator.CommandLines;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar fluxops-tools.jar sandbox [--duration 30s] [--metrics-port 8080] [FILE...]}. Its
 * scratch directory (sidecar journals, logs, the stand-in licence key) is private to the user and
 * removed when the sandbox ends, also on Ctrl-C.
 */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLines.Version.class,
    description =
        "Runs the real operator, autoscaler and metering sidecars on this machine against a"
            + " simulated cluster, with the FluxDeployments in examples/ (or FILEs). Ctrl-C stops"
            + " it.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every image was reported exactly once",
      "1:an image was not reported exactly once, or the sandbox failed",
      "2:a usage error"
    })
public final class SandboxCommand implements Callable<Integer> {

  /** Exit code for a bad argument. */
  public static final int USAGE_ERROR = CommandLines.USAGE_ERROR;

  @Spec private CommandSpec spec;

  @Option(
      names = "--duration",
      paramLabel = "30s|2m",
      description = "Stop by itself after this long (at least 5s); default: run until Ctrl-C.")
  private String duration;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Port of the operator's /metrics and /healthz (default ${DEFAULT-VALUE}; another free"
              + " port if it is taken).")
  private int metricsPort = 8080;

  @Option(
      names = "--control-plane",
      paramLabel = "mock|real",
      description =
          "mock (default): the Fabric8 mock API server with a simulated scheduler and kubelet."
              + " real: kube-apiserver, kube-controller-manager and kube-scheduler with KWOK's GPU"
              + " nodes, built by cluster/control-plane/build.sh.")
  private String controlPlane = "mock";

  @Parameters(
      paramLabel = "FILE.yaml",
      arity = "0..*",
      description = "FluxDeployment and Secret manifests to apply; default: those in examples/.")
  private List<String> files = new ArrayList<>();

  @Override
  public Integer call() {
    SandboxOptions options;
    Path workDir;
    try {
      Optional<Duration> stopAfter =
          duration == null ? Optional.empty() : Optional.of(duration(duration));
      if (metricsPort < 0 || metricsPort > 65535) {
        throw new IllegalArgumentException(
            "--metrics-port must be a port from 0 to 65535, got " + metricsPort);
      }
      List<Path> manifests = new ArrayList<>();
      for (String file : files) {
        if (!Files.isRegularFile(Path.of(file))) {
          throw new IllegalArgumentException("no such file: " + file);
        }
        manifests.add(Path.of(file));
      }
      if (!controlPlane.equals("mock") && !controlPlane.equals("real")) {
        throw new IllegalArgumentException(
            "--control-plane must be mock or real, got '" + controlPlane + "'");
      }
      boolean real = controlPlane.equals("real");
      Path jar = meteringJar();
      if (real) {
        try {
          KwokControlPlane.binaries(repositoryRoot());
          KwokControlPlane.checkAddresses(
              System.getProperty("os.name"), KwokControlPlane::bindable);
        } catch (IllegalStateException e) {
          PrintWriter err = spec.commandLine().getErr();
          err.println("fluxops sandbox: " + e.getMessage());
          err.flush();
          return 1;
        }
      }
      workDir = workDir();
      options =
          new SandboxOptions(
              stopAfter, manifests, metricsPort, jar, workDir, System.console() != null, real);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return run(options, System.out, spec.commandLine().getErr());
  }

  /**
   * Runs the sandbox until its duration ends or the JVM is asked to stop (Ctrl-C, SIGTERM), then
   * removes its scratch directory.
   */
  static int run(SandboxOptions options, PrintStream out, PrintWriter err) {
    Sandbox sandbox = new Sandbox(options, out);
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger code = new AtomicInteger(1);
    Thread hook =
        new Thread(
            () -> {
              sandbox.requestStop();
              try {
                // Let run() stop the pods and their sidecar processes, and remove the scratch
                // directory, before the JVM exits.
                if (!done.await(120, TimeUnit.SECONDS)) {
                  ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                  ScratchDirectory.delete(options.workDir());
                  return; // the other hooks (a real control plane's deletion) still run
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              // A JVM stopped by a signal exits with 128 + its number, whatever main returns:
              // after Ctrl-C the summary's verdict is the exit code all the same. run() has
              // stopped and removed everything by now.
              out.flush();
              err.flush();
              Runtime.getRuntime().halt(code.get());
            },
            "sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      SandboxReport report = sandbox.run();
      code.set(report.everyImageReportedOnce() ? 0 : 1);
      return code.get();
    } catch (Exception e) {
      err.println("fluxops sandbox: " + e.getMessage());
      err.flush();
      return 1;
    } finally {
      stopDescendants();
      ScratchDirectory.delete(options.workDir());
      done.countDown();
      removeHook(hook);
    }
  }

  /** Sidecars still running (normally none: the pods stopped them) get SIGTERM, then a kill. */
  private static void stopDescendants() {
    List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
    left.forEach(ProcessHandle::destroy);
    for (ProcessHandle process : left) {
      try {
        process.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running
    }
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
    buildTree()
        .ifPresent(root -> candidates.add(root.resolve("metering/target/fluxops-metering.jar")));
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

  /**
   * The checkout the tools were built in (tools/target/fluxops-tools.jar or tools/target/classes
   * lies three levels below it), if the jar still lies there.
   */
  static Optional<Path> buildTree() {
    try {
      Path self =
          Path.of(SandboxCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path root = self.toAbsolutePath().getParent().getParent().getParent();
      return Files.isDirectory(root.resolve("tools")) ? Optional.of(root) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty(); // no code source
    }
  }

  /** Where cluster/control-plane/build.sh is: the build tree, else the working directory. */
  static Path repositoryRoot() {
    return buildTree()
        .filter(root -> Files.isRegularFile(root.resolve("cluster/control-plane/build.sh")))
        .orElse(Path.of("").toAbsolutePath());
  }

  private static Path workDir() {
    try {
      return ScratchDirectory.create();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot create a temporary directory: " + e.getMessage());
    }
  }
}
