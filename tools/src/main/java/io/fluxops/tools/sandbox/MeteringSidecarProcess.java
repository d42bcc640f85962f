package io.fluxops.tools.sandbox;

import io.fluxops.common.MeteringSidecar;
import java.io.IOException;
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

/**
 * The real metering sidecar ({@code fluxops-metering.jar}), run as a child JVM for one simulated
 * pod, bound to the pod's loopback address on the sidecar's port, with its image's JVM flags.
 */
final class MeteringSidecarProcess implements AutoCloseable {

  private final Process process;
  private final String baseUrl;

  private MeteringSidecarProcess(Process process, String baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /** Starts the sidecar with {@code env} (its FLUXOPS_* settings); its log goes to {@code log}. */
  static MeteringSidecarProcess start(
      Path jar, String ip, int port, Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(MeteringSidecar.JVM_FLAGS);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.environment().put("FLUXOPS_LISTEN_ADDRESS", ip);
    builder.environment().put("FLUXOPS_LISTEN_PORT", String.valueOf(port));
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Files.createDirectories(log.getParent());
    return new MeteringSidecarProcess(builder.start(), "http://" + ip + ":" + port);
  }

  /** Waits for {@code /readyz} to answer 200, as the kubelet's probe would. */
  boolean awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(baseUrl + "/readyz"))
                .timeout(Duration.ofSeconds(1))
                .build();
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return false;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, as the kubelet sends: the sidecar reports what is pending, then exits. */
  @Override
  public void close() {
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
