package io.fluxops.cluster;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fluxops.operator.api.FluxDeployment;
import java.util.List;
import java.util.Optional;

/** Reading FluxDeployments and their pods in the cluster tests. */
final class FluxDeployments {

  private FluxDeployments() {}

  static FluxDeployment get(KubernetesClient client, String namespace, String name) {
    return client.resources(FluxDeployment.class).inNamespace(namespace).withName(name).get();
  }

  /** The condition of that type, if the operator has written it. */
  static Optional<Condition> condition(
      KubernetesClient client, String namespace, String name, String type) {
    FluxDeployment fxd = get(client, namespace, name);
    if (fxd == null || fxd.getStatus() == null || fxd.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return fxd.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  static boolean conditionIs(
      KubernetesClient client, String namespace, String name, String type, String status) {
    return condition(client, namespace, name, type)
        .map(c -> status.equals(c.getStatus()))
        .orElse(false);
  }

  /** The inference pods of a FluxDeployment, by the instance label the operator puts on them. */
  static List<Pod> pods(KubernetesClient client, String namespace, String name) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/instance", name)
        .withLabel("app.kubernetes.io/name", "flux-inference")
        .list()
        .getItems();
  }

  static boolean runningAndReady(Pod pod) {
    return "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
