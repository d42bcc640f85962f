package io.fluxops.loader.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loader's shaded jar as a child process, with the JVM flags of its image (read from the jib
 * configuration in loader/pom.xml), its output in a log file.
 */
public final class LoaderProcess implements AutoCloseable {
  private static final Pattern STATUS_PORT = Pattern.compile("status on port (\\d+)");
  private static final Pattern JVM_FLAG = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>");

  private final Process process;
  private final Path log;

  private LoaderProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The jar {@code package} built; failsafe passes its path. */
  public static Path jar() {
    String configured = System.getProperty("fluxops.jar");
    Path jar =
        configured != null ? Path.of(configured) : Path.of("loader/target/fluxops-loader.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing; run ./mvnw -pl loader -am package first");
    }
    return jar;
  }

  /**
   * The image's JVM flags, from the pom: one source for the image, the tests and the benchmark. The
   * system property {@code fluxops.jvmFlags} replaces them, to try others in the benchmark.
   */
  public static List<String> jvmFlags() {
    String override = System.getProperty("fluxops.jvmFlags");
    if (override != null && !override.isBlank()) {
      return List.of(override.strip().split("\\s+"));
    }
    String configured = System.getProperty("fluxops.pom");
    Path pom = configured != null ? Path.of(configured) : Path.of("loader/pom.xml");
    try {
      Matcher matcher = JVM_FLAG.matcher(Files.readString(pom));
      List<String> flags = new ArrayList<>();
      while (matcher.find()) {
        flags.add(matcher.group(1).strip());
      }
      if (flags.isEmpty()) {
        throw new IllegalStateException("no <jvmFlag> in " + pom);
      }
      return flags;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the jar with exactly {@code env} as its FLUXOPS_ variables. */
  public static LoaderProcess start(Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags());
    command.add("-jar");
    command.add(jar().toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("FLUXOPS_") || k.endsWith("_PROXY"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new LoaderProcess(builder.start(), log);
  }

  /** The port of its /status server, once it printed it. */
  public int statusPort() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> STATUS_PORT.matcher(log()).find() || !process.isAlive());
    Matcher matcher = STATUS_PORT.matcher(log());
    if (!matcher.find()) {
      throw new IllegalStateException("the loader exited before serving /status:\n" + log());
    }
    return Integer.parseInt(matcher.group(1));
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  /** Waits for the exit; returns the code. */
  public int waitFor(Duration atMost) throws InterruptedException {
    if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the loader did not finish in " + atMost + ":\n" + log());
    }
    return process.exitValue();
  }

  /** SIGKILL, as the kubelet does after the grace period or the kernel on OOM. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
