package io.fluxops.tools.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SIMULATED: one pod the sandbox runs: its node, its address and ports, and the processes in it
 * (the real metering sidecar and the stand-in inference server).
 */
final class SimulatedPod {

  /** Where the pod is in its life, as the kubelet would report it. */
  enum Phase {
    UNSCHEDULABLE,
    STARTING,
    READY,
    TERMINATING,
    FAILED
  }

  /**
   * Where the pod's processes listen: its IP, the ports it publishes as its container ports {@code
   * http} (the server) and {@code metering} (the sidecar), and the sidecar's usage endpoint, which
   * a real pod keeps on its own loopback.
   */
  record Address(String ip, int http, int metering, int usage) {}

  final String namespace;
  final String name;
  final String deployment;
  final String model;
  final int gpus;
  final long createdNanos = System.nanoTime();
  volatile String node;
  volatile Address address;
  volatile long scheduledNanos;
  volatile String message = "";
  final AtomicReference<Phase> phase = new AtomicReference<>(Phase.UNSCHEDULABLE);
  volatile InferenceStandIn server;
  volatile MeteringSidecarProcess sidecar;

  SimulatedPod(String namespace, String name, String deployment, String model, int gpus) {
    this.namespace = namespace;
    this.name = name;
    this.deployment = deployment;
    this.model = model;
    this.gpus = gpus;
  }

  Phase phase() {
    return phase.get();
  }

  boolean metered() {
    return !model.equals("flux-1-schnell");
  }

  long generated() {
    InferenceStandIn s = server;
    return s == null ? 0 : s.generated();
  }

  Optional<InferenceStandIn> servingServer() {
    return phase() == Phase.READY ? Optional.ofNullable(server) : Optional.empty();
  }

  /**
   * Starts the pod's processes as a kubelet starts a pod with a native sidecar: the real metering
   * sidecar first, and once it is ready, the stand-in server.
   *
   * @param gpuType the pod's GPU type, which sets the time per image
   * @param byMetric whether the sidecar counts by the server's metric (else the server relays)
   */
  void start(PodRunner.PodRuntime runtime, String gpuType, boolean byMetric)
      throws IOException, InterruptedException {
    Address at = address;
    Optional<URI> usageUrl = Optional.empty();
    if (metered()) {
      Path dir = runtime.workDir().resolve(name);
      Map<String, String> env = new HashMap<>();
      env.put("FLUXOPS_MODEL_SLUG", model);
      env.put("FLUXOPS_USAGE_ENDPOINT", runtime.usageEndpoint());
      env.put("FLUXOPS_KEY_FILE", runtime.licenceKeyFile());
      env.put("FLUXOPS_JOURNAL_DIR", dir.resolve("journal").toString());
      env.put("FLUXOPS_BATCH_INTERVAL_SECONDS", "1");
      // In a pod, the usage endpoint is on the pod's own 127.0.0.1; here the pod's address.
      env.put("FLUXOPS_USAGE_ADDRESS", at.ip());
      env.put("FLUXOPS_USAGE_PORT", Integer.toString(at.usage()));
      env.put("FLUXOPS_NAMESPACE", namespace);
      env.put("FLUXOPS_INSTANCE", deployment);
      if (!gpuType.isEmpty()) {
        // The sidecar refuses a variable set to nothing.
        env.put("FLUXOPS_GPU", gpuType);
      }
      if (byMetric) {
        env.put("FLUXOPS_COUNTING", "metric");
        env.put("FLUXOPS_METRIC_URL", "http://" + at.ip() + ":" + at.http() + "/metrics");
        env.put("FLUXOPS_METRIC_NAME", "flux_images_generated_total");
      } else {
        env.put("FLUXOPS_COUNTING", "relay");
        usageUrl =
            Optional.of(
                URI.create(
                    "http://"
                        + at.ip()
                        + ":"
                        + at.usage()
                        + "/v1/licenses/models/"
                        + model
                        + "/usage"));
      }
      Files.createDirectories(dir.resolve("journal"));
      sidecar =
          MeteringSidecarProcess.start(runtime.meteringJar(), at.ip(), at.metering(), env, dir);
      if (!sidecar.awaitReady(Duration.ofSeconds(90))) {
        throw new IllegalStateException(
            "metering sidecar of " + name + " did not get ready; see " + dir);
      }
    }
    server =
        new InferenceStandIn(
            at.ip(), at.http(), runtime.perImageByGpuType().apply(gpuType), usageUrl);
  }

  /**
   * Stops as the kubelet stops a pod with a native sidecar: the server stops taking work and
   * finishes what it accepted, then the sidecar reports what is pending and gets SIGTERM, then the
   * server goes away (the sidecar may read its counter one last time).
   */
  void stop() {
    phase.set(Phase.TERMINATING);
    InferenceStandIn s = server;
    try {
      if (s != null) {
        s.stopAccepting();
        s.awaitDrained(Duration.ofSeconds(60));
      }
      if (sidecar != null) {
        // SIGTERM makes the sidecar flush on Linux and macOS; Windows has no SIGTERM (a process
        // is ended at once), so the pod first waits until the sidecar has reported everything.
        sidecar.awaitCaughtUp(s == null ? 0 : s.generated(), Duration.ofSeconds(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sidecar != null) {
      sidecar.close();
    }
    if (s != null) {
      s.close();
    }
  }
}
