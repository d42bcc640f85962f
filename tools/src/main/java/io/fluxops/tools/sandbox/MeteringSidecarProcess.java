package io.fluxops.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The real metering sidecar ({@code fluxops-metering.jar}), run as a child JVM for one simulated
 * pod, bound to the pod's address on the sidecar's port, with the JVM flags its pod runs it with.
 * Like a native sidecar ({@code restartPolicy: Always}), it is started again when it exits before
 * its pod stops: Ctrl-C in a terminal reaches every process of the sandbox, the sidecars too, which
 * flush and exit while their servers still work; started again, each reads its journal and goes on.
 */
final class MeteringSidecarProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Restarts at the most, as a kubelet's back-off would give up on a sidecar that keeps dying. */
  static final int MAX_RESTARTS = 5;

  private static final System.Logger LOG = System.getLogger(MeteringSidecarProcess.class.getName());

  private final ProcessBuilder builder;
  private final String baseUrl;
  private volatile Process process;
  private volatile boolean closing;
  private int restarts;

  private MeteringSidecarProcess(ProcessBuilder builder, String baseUrl) throws IOException {
    this.builder = builder;
    this.baseUrl = baseUrl;
    launch();
  }

  private synchronized void launch() throws IOException {
    Process started = builder.start();
    process = started;
    started.onExit().thenRun(this::exited);
  }

  private synchronized void exited() {
    if (closing || restarts >= MAX_RESTARTS) {
      return;
    }
    restarts++;
    LOG.log(
        System.Logger.Level.INFO,
        "metering sidecar at " + baseUrl + " exited; starting it again (" + restarts + ")");
    try {
      launch();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "metering sidecar at " + baseUrl + ": " + e);
    }
  }

  /**
   * Starts the sidecar with {@code jvmFlags} (the pod's), the image's environment and {@code env}
   * (its FLUXOPS_* settings); its log and temporary files go to {@code dir}, inside the sandbox's
   * scratch directory.
   */
  static MeteringSidecarProcess start(
      Path jar, List<String> jvmFlags, String ip, int port, Map<String, String> env, Path dir)
      throws IOException {
    Path log = dir.resolve("metering.log");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    // After the image's flags, so it wins over their /tmp, which Windows does not have.
    command.add("-Djava.io.tmpdir=" + tmp);
    command.add("-cp");
    command.add(jar + File.pathSeparator + launcher(dir.getParent()));
    command.add(SidecarLauncher.class.getName());
    command.add(mainClass(jar));
    ProcessBuilder builder = new ProcessBuilder(command);
    // As in the pod: the image's environment, then the container's, which wins.
    builder.environment().putAll(io.fluxops.common.MeteringSidecar.IMAGE_ENVIRONMENT);
    builder.environment().putAll(env);
    builder.environment().put("FLUXOPS_LISTEN_ADDRESS", ip);
    builder.environment().put("FLUXOPS_LISTEN_PORT", String.valueOf(port));
    Files.createDirectories(log.getParent());
    // Appended to, so a restarted sidecar's log follows the first one's.
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new MeteringSidecarProcess(builder, "http://" + ip + ":" + port);
  }

  /** The jar's Main-Class: what {@code java -jar} would run. */
  static String mainClass(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
      if (main == null) {
        throw new IOException(jar + " names no Main-Class");
      }
      return main;
    }
  }

  /**
   * A directory with {@link SidecarLauncher}'s class alone (copied once into the scratch
   * directory), so the sidecar's classpath holds its jar and that one class.
   */
  static synchronized Path launcher(Path scratch) throws IOException {
    Path dir = scratch.resolve("sidecar-launcher");
    String resource = SidecarLauncher.class.getName().replace('.', '/') + ".class";
    Path target = dir.resolve(resource);
    if (!Files.exists(target)) {
      Files.createDirectories(target.getParent());
      try (InputStream in = SidecarLauncher.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("cannot find " + resource + " to start the sidecar with");
        }
        Files.copy(in, target);
      }
    }
    return dir;
  }

  /** Waits for {@code /readyz} to answer 200, as the kubelet's probe would. */
  boolean awaitReady(Duration timeout) throws InterruptedException {
    return poll("/readyz", timeout, (code, body) -> code == 200);
  }

  /**
   * Waits until the sidecar has counted {@code generated} images and reported all of them to the
   * licence endpoint: what SIGTERM's flush would do, for systems without SIGTERM.
   */
  boolean awaitCaughtUp(long generated, Duration timeout) throws InterruptedException {
    return poll(
        "/status",
        timeout,
        (code, body) -> {
          JsonNode status = JSON.readTree(body);
          return code == 200
              && status.path("accepted").asLong(-1) >= generated
              && status.path("pending").asLong(-1) == 0
              && status.path("inFlight").asLong(-1) == 0;
        });
  }

  /** What an answer must be for {@link #poll} to stop asking. */
  private interface Answer {
    boolean good(int code, String body) throws IOException;
  }

  /** Asks {@code path} until the answer is good, the process exits or the time is up. */
  private boolean poll(String path, Duration timeout, Answer answer) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    // A sidecar that exited is started again (see exited()): wait for it unless it gave up.
    while (System.nanoTime() < deadline && (process.isAlive() || !givenUp())) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.good(response.statusCode(), response.body())) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet, or busy: ask again
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return false;
  }

  private synchronized boolean givenUp() {
    return closing || restarts >= MAX_RESTARTS;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, as the kubelet sends: the sidecar reports what is pending, then exits. */
  @Override
  public void close() {
    synchronized (this) {
      closing = true;
    }
    Process process = this.process;
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
