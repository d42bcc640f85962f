package io.fluxops.metering.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sidecar's shaded jar running as a child process with the container's JVM flags, its output in
 * a log file. Closing it kills it if it still runs.
 */
public final class SidecarProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile(
          "usage on [0-9.:]+:(\\d+), metrics and status on port (\\d+), started in (\\d+) ms");

  private final Process process;
  private final Path log;
  private final long launchedNanos;
  private int port;
  private int usagePort;
  private long startMillis;
  private Duration readyAfter;

  private SidecarProcess(Process process, Path log, long launchedNanos) {
    this.process = process;
    this.log = log;
    this.launchedNanos = launchedNanos;
  }

  /** The jar {@code package} built; failsafe passes its path. */
  public static Path jar() {
    String configured = System.getProperty("fluxops.jar");
    Path jar =
        configured != null ? Path.of(configured) : Path.of("metering/target/fluxops-metering.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing; run ./mvnw -pl metering package first");
    }
    return jar;
  }

  /** Starts the jar with exactly {@code env} as FLUXOPS_ variables; does not wait. */
  public static SidecarProcess launch(Map<String, String> env, Path log) throws IOException {
    return launch(env, log, List.of());
  }

  /** As {@link #launch(Map, Path)}, with JVM flags added to the container's. */
  public static SidecarProcess launch(Map<String, String> env, Path log, List<String> extraFlags)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JvmFlags.fromPom());
    command.addAll(extraFlags);
    command.add("-jar");
    command.add(jar().toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("FLUXOPS_"));
    // As the image runs it.
    builder.environment().putAll(JvmFlags.environmentFromPom());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long launched = System.nanoTime();
    return new SidecarProcess(builder.start(), log, launched);
  }

  /** Starts the jar and waits until it listens. */
  public static SidecarProcess start(Map<String, String> env, Path log) throws IOException {
    return start(env, log, List.of());
  }

  /** As {@link #start(Map, Path)}, with JVM flags added to the container's. */
  public static SidecarProcess start(Map<String, String> env, Path log, List<String> extraFlags)
      throws IOException {
    SidecarProcess sidecar = launch(env, log, extraFlags);
    sidecar.awaitListening();
    return sidecar;
  }

  private void awaitListening() {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> isListening() || !process.isAlive());
    if (!isListening()) {
      throw new IllegalStateException("the sidecar exited before listening:\n" + log());
    }
  }

  /** Whether the sidecar printed that it listens (which also learns its port). */
  public boolean isListening() {
    Matcher matcher = LISTENING.matcher(log());
    boolean found = false;
    while (matcher.find()) {
      found = true;
      usagePort = Integer.parseInt(matcher.group(1));
      port = Integer.parseInt(matcher.group(2));
      startMillis = Long.parseLong(matcher.group(3));
    }
    if (found && readyAfter == null) {
      readyAfter = Duration.ofNanos(System.nanoTime() - launchedNanos);
    }
    return found;
  }

  /** The port of {@code /status}, {@code /metrics} and the probes. */
  public int port() {
    return port;
  }

  /** The loopback port of the usage endpoint. */
  public int usagePort() {
    return usagePort;
  }

  /** A client of this sidecar's two ports. */
  public LocalClient client() {
    return new LocalClient(port, usagePort);
  }

  public long pid() {
    return process.pid();
  }

  /** The start time the sidecar measured itself: JVM launch to listening. */
  public long startMillis() {
    return startMillis;
  }

  /** Launch to the "listening" line seen here, including log polling. */
  public Duration readyAfter() {
    return readyAfter;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, and wait until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM; returns the exit code, or -1 if it did not exit within {@code timeout}. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** Waits for the process to exit on its own; returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** Everything the sidecar printed so far. */
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
