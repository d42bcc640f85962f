package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fluxops.common.MeteringSidecar;
import io.fluxops.operator.workload.PodLayout;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

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
   * http} (the serving port) and {@code metering} (the sidecar), and the two a real pod keeps on
   * its own loopback: the sidecar's usage endpoint and, behind a proxying sidecar, the server's
   * port. {@code declaredHttp} is the serving port as the operator wrote it, which the pod has as
   * {@code http}.
   */
  record Address(String ip, int http, int metering, int usage, int upstream, int declaredHttp) {

    /**
     * The pod's own number for a port the operator wrote into its spec: in a cluster every pod has
     * all of them; here pods share an address, each with ports of its own.
     */
    /** Whether {@link #own} knows the port. */
    boolean has(int declared) {
      return declared > 0 && declared == declaredHttp
          || declared == MeteringSidecar.PORT
          || declared == MeteringSidecar.USAGE_PORT
          || declared == MeteringSidecar.UPSTREAM_PORT;
    }

    int own(int declared) {
      if (declared > 0 && declared == declaredHttp) {
        return http;
      }
      if (declared == MeteringSidecar.PORT) {
        return metering;
      }
      if (declared == MeteringSidecar.USAGE_PORT) {
        return usage;
      }
      if (declared == MeteringSidecar.UPSTREAM_PORT) {
        return upstream;
      }
      throw new IllegalArgumentException(
          "port "
              + declared
              + " is none the sandbox runs a process on (the serving port "
              + declaredHttp
              + ", the sidecar's "
              + MeteringSidecar.PORT
              + ", "
              + MeteringSidecar.USAGE_PORT
              + " and "
              + MeteringSidecar.UPSTREAM_PORT
              + ")");
    }
  }

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
  volatile StandInServer server;
  volatile MeteringSidecarProcess sidecar;

  /** Times the pod's containers failed to start, and when the next try may begin (nanoTime). */
  volatile int failedStarts;

  volatile long nextStartNanos;

  /**
   * Held while the containers start and while they stop: a pod deleted while it starts stops only
   * once everything it started is up, so no process of it binds the pod's ports after it stopped
   * (when another pod may already have them).
   */
  private final ReentrantLock lifecycle = new ReentrantLock();

  /** The pod spec's metering container (null: an unmetered model) and inference container. */
  volatile Container sidecarSpec;

  volatile Container serverSpec;

  SimulatedPod(String namespace, String name, String deployment, String model, int gpus) {
    this.namespace = namespace;
    this.name = name;
    this.deployment = deployment;
    this.model = model;
    this.gpus = gpus;
  }

  /** Takes the containers to run from the pod's spec. */
  void containersFrom(PodSpec spec) {
    sidecarSpec = named(spec.getInitContainers(), PodLayout.METERING_CONTAINER);
    serverSpec = named(spec.getContainers(), PodLayout.INFERENCE_CONTAINER);
  }

  private static Container named(java.util.List<Container> containers, String name) {
    if (containers == null) {
      return null;
    }
    return containers.stream().filter(c -> name.equals(c.getName())).findFirst().orElse(null);
  }

  Phase phase() {
    return phase.get();
  }

  boolean metered() {
    return !model.equals("flux-1-schnell");
  }

  long generated() {
    StandInServer s = server;
    return s == null ? 0 : s.generated();
  }

  Optional<StandInServer> servingServer() {
    return phase() == Phase.READY ? Optional.ofNullable(server) : Optional.empty();
  }

  /**
   * Starts the pod's processes as a kubelet starts a pod with a native sidecar: the real metering
   * sidecar first, with the environment the operator wrote for it, and once it is ready, the
   * stand-in of the server its counting mode meters, where the operator told the server to listen.
   *
   * @param gpuType the pod's GPU type, which sets the time per image
   */
  void start(PodRunner.PodRuntime runtime, String gpuType)
      throws IOException, InterruptedException {
    lifecycle.lock();
    try {
      if (phase() == Phase.TERMINATING) {
        return;
      }
      startContainers(runtime, gpuType);
    } catch (IOException | InterruptedException | RuntimeException e) {
      // As a container that exits: what started of the pod stops, and its ports are free again.
      closeContainers();
      sidecar = null;
      throw e;
    } finally {
      lifecycle.unlock();
    }
  }

  private void startContainers(PodRunner.PodRuntime runtime, String gpuType)
      throws IOException, InterruptedException {
    Address at = address;
    Map<String, String> sidecarEnv = Map.of();
    if (sidecarSpec != null) {
      Path dir = runtime.workDir().resolve(name);
      Path journal = Files.createDirectories(dir.resolve("journal"));
      sidecarEnv =
          PodEnvironment.sidecar(
              sidecarSpec, namespace, at, Path.of(runtime.licenceKeyFile()), journal);
      sidecar =
          MeteringSidecarProcess.start(
              runtime.meteringJar(),
              PodEnvironment.jvmFlags(sidecarSpec),
              at.ip(),
              at.metering(),
              sidecarEnv,
              dir);
      if (!sidecar.awaitReady(Duration.ofSeconds(90))) {
        throw new IllegalStateException(
            "metering sidecar of " + name + " did not get ready; see " + dir);
      }
    }
    Map<String, String> env =
        serverSpec == null ? Map.of() : PodEnvironment.of(serverSpec, namespace, at);
    int port =
        env.containsKey(PodLayout.ENV_SERVER_PORT)
            ? Integer.parseInt(env.get(PodLayout.ENV_SERVER_PORT))
            : at.http();
    Duration perImage = runtime.perImageByGpuType().apply(gpuType);
    server =
        switch (sidecarEnv.getOrDefault("FLUXOPS_COUNTING", "")) {
          case "comfyui" ->
              new ComfyUiServer(ProxiedStandIn.at(at.ip(), port), perImage, runtime.clients());
          case "proxy" ->
              new ProxiedStandIn(
                  ProxiedStandIn.Api.of(sidecarEnv.getOrDefault("FLUXOPS_SERVER_API", "")),
                  ProxiedStandIn.at(at.ip(), port),
                  URI.create("http://" + at.ip() + ":" + at.http()),
                  perImage,
                  runtime.clients());
          default ->
              // relay: the server posts to the usage URL the operator gave it; metric and
              // unmetered: none
              new InferenceStandIn(
                  at.ip(),
                  port,
                  perImage,
                  Optional.ofNullable(env.get(PodLayout.ENV_USAGE_URL)).map(URI::create));
        };
  }

  /**
   * Stops as the kubelet stops a pod with a native sidecar: the server stops taking work and
   * finishes what it accepted, then the sidecar reports what is pending and gets SIGTERM, then the
   * server goes away (the sidecar may read its counter one last time).
   */
  void stop() {
    phase.set(Phase.TERMINATING);
    lifecycle.lock();
    try {
      stopContainers();
    } finally {
      lifecycle.unlock();
    }
  }

  private void stopContainers() {
    StandInServer s = server;
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
    closeContainers();
  }

  private void closeContainers() {
    MeteringSidecarProcess m = sidecar;
    if (m != null) {
      m.close();
    }
    StandInServer s = server;
    if (s != null) {
      s.close();
    }
  }
}
