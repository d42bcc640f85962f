package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fluxops.common.LocalPorts;
import io.fluxops.operator.workload.PodLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * SIMULATED: the pod network of the simulated cluster. Every pod listens on 127.0.0.1, the one
 * loopback address that Linux, macOS and Windows all have without configuration (macOS answers only
 * 127.0.0.1 unless root adds aliases), on ports of its own, which it publishes as its container
 * ports {@code http} and {@code metering}. The operator reads pods as it does in a cluster: at the
 * pod's IP and its own named container port.
 */
final class PodNetwork {

  /** Every simulated pod's IP. */
  static final String ADDRESS = "127.0.0.1";

  /** Pods' ports: see {@link LocalPorts} for why this range. */
  static final int FIRST_PORT = LocalPorts.FIRST;

  static final int RANGE = LocalPorts.COUNT;

  private final Set<Integer> taken = ConcurrentHashMap.newKeySet();

  // Starts anywhere in the range, so two sandboxes (or test runs) on one machine rarely probe the
  // same ports.
  private final AtomicInteger next = new AtomicInteger(new Random().nextInt(RANGE));

  /**
   * Ports nothing on this machine holds, and that no other simulated pod was given, for a pod whose
   * template declares {@code declaredHttp} as its serving port.
   */
  SimulatedPod.Address allocate(int declaredHttp) {
    return new SimulatedPod.Address(
        ADDRESS, freePort(), freePort(), freePort(), freePort(), declaredHttp);
  }

  /** Ports for a pod that serves no FluxDeployment (a loader Job's): its {@code http} is free. */
  SimulatedPod.Address allocate() {
    return allocate(0);
  }

  /** The pod is gone: its ports may be handed out again. */
  void release(SimulatedPod.Address address) {
    taken.remove(address.http());
    taken.remove(address.metering());
    taken.remove(address.usage());
    taken.remove(address.upstream());
  }

  /** The serving port the template declares (its container port named {@code http}), or 0. */
  static int declaredHttp(PodSpec template) {
    return Stream.concat(
            containers(template.getInitContainers()), containers(template.getContainers()))
        .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
        .filter(p -> PodLayout.HTTP_PORT_NAME.equals(p.getName()) && p.getContainerPort() != null)
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElse(0);
  }

  /**
   * The pod's spec as the pod publishes it: the template's container ports named {@code http} and
   * {@code metering} carry the pod's own numbers. Probes name their port, so they follow.
   */
  static PodSpec publish(PodSpec spec, SimulatedPod.Address address) {
    Stream.concat(containers(spec.getInitContainers()), containers(spec.getContainers()))
        .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
        .forEach(port -> publish(port, address));
    return spec;
  }

  private static void publish(ContainerPort port, SimulatedPod.Address address) {
    if (PodLayout.HTTP_PORT_NAME.equals(port.getName())) {
      port.setContainerPort(address.http());
    } else if (PodLayout.METERING_PORT_NAME.equals(port.getName())) {
      port.setContainerPort(address.metering());
    }
  }

  private static Stream<Container> containers(List<Container> list) {
    return list == null ? Stream.empty() : list.stream();
  }

  private int freePort() {
    for (int attempt = 0; attempt < RANGE; attempt++) {
      int port = FIRST_PORT + Math.floorMod(next.getAndIncrement(), RANGE);
      if (taken.add(port)) {
        if (bindable(port)) {
          return port;
        }
        taken.remove(port);
      }
    }
    throw new IllegalStateException(
        "no free port on " + ADDRESS + " from " + FIRST_PORT + " to " + (FIRST_PORT + RANGE - 1));
  }

  private static boolean bindable(int port) {
    try {
      return LocalPorts.bindable(InetAddress.getByName(ADDRESS), port);
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
