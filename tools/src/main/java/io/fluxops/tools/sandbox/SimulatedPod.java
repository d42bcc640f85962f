package io.fluxops.tools.sandbox;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SIMULATED: one pod the simulated kubelet runs: its node, its loopback address, and the processes
 * in it (the real metering sidecar and the stand-in inference server).
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

  final String namespace;
  final String name;
  final String deployment;
  final String model;
  final int gpus;
  final long createdNanos = System.nanoTime();
  volatile String node;
  volatile String ip;
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

  long generated() {
    InferenceStandIn s = server;
    return s == null ? 0 : s.generated();
  }

  Optional<InferenceStandIn> servingServer() {
    return phase() == Phase.READY ? Optional.ofNullable(server) : Optional.empty();
  }

  /**
   * Stops as the kubelet stops a pod with a native sidecar: the server stops taking work and
   * finishes what it accepted, then the sidecar gets SIGTERM and reports what is pending, then the
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
