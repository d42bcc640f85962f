package io.fluxops.operator.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the operator reaches a pod: its IP and its own number for the container port FluxOps
 * declared, found by the port's name, as a Service with a named {@code targetPort} resolves it per
 * pod. During a rollout that changes {@code spec.server.port}, the pods of the older template are
 * still read at the port they listen on.
 */
public final class PodPorts {

  private PodPorts() {}

  /**
   * The pod's number for a port of the FluxDeployment: the serving port is the one named {@value
   * PodLayout#HTTP_PORT_NAME}, the sidecar's the one named {@value PodLayout#METERING_PORT_NAME};
   * any other port, or a pod that does not declare the name, is reached at the number itself.
   */
  public static int resolve(Pod pod, ValidatedSpec spec, int port) {
    if (port == spec.servingPort()) {
      return named(pod, PodLayout.HTTP_PORT_NAME).orElse(port);
    }
    if (port == PodLayout.METERING_PORT) {
      return named(pod, PodLayout.METERING_PORT_NAME).orElse(port);
    }
    return port;
  }

  /** The container port with this name, in any of the pod's containers. */
  public static Optional<Integer> named(Pod pod, String name) {
    if (pod.getSpec() == null) {
      return Optional.empty();
    }
    return Stream.concat(
            containers(pod.getSpec().getInitContainers()),
            containers(pod.getSpec().getContainers()))
        .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
        .filter(p -> name.equals(p.getName()) && p.getContainerPort() != null)
        .map(ContainerPort::getContainerPort)
        .findFirst();
  }

  private static Stream<Container> containers(List<Container> list) {
    return list == null ? Stream.empty() : list.stream();
  }
}
