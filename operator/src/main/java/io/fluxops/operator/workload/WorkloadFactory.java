package io.fluxops.operator.workload;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fluxops.operator.api.FluxDeployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the objects FluxOps owns for a FluxDeployment, each named after it, labelled and owned by
 * it. Pure: the same input always gives the same objects (the golden-file tests rely on that).
 */
public final class WorkloadFactory {

  /** GPU pods can take many minutes to become ready when a TensorRT engine is built. */
  static final int PROGRESS_DEADLINE_SECONDS = 3600;

  private WorkloadFactory() {}

  /**
   * The inference Deployment.
   *
   * @param replicas how many pods: spec.replicas, or the autoscaler's choice (0 while the model
   *     cache is not complete)
   * @param served the complete model revision the pods read, when the cache has a source
   */
  public static Deployment deployment(
      FluxDeployment fd,
      ValidatedSpec v,
      int replicas,
      String meteringImage,
      Optional<ServedModel> served) {
    return new DeploymentBuilder()
        .withMetadata(metadata(fd, v))
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(Labels.selector(fd))
        .endSelector()
        // A GPU is rarely free for a surge pod: replace one pod at a time instead of waiting
        // for capacity that may never come.
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(0))
        .withMaxUnavailable(new IntOrString(1))
        .endRollingUpdate()
        .endStrategy()
        .withRevisionHistoryLimit(3)
        .withProgressDeadlineSeconds(PROGRESS_DEADLINE_SECONDS)
        .withTemplate(PodTemplateFactory.build(fd, v, meteringImage, served))
        .endSpec()
        .build();
  }

  /** The Service in front of the inference port (and the sidecars' metrics, when metered). */
  public static Service service(FluxDeployment fd, ValidatedSpec v) {
    List<ServicePort> ports = new ArrayList<>();
    ports.add(port(PodLayout.HTTP_PORT_NAME, v.servingPort(), PodLayout.HTTP_PORT_NAME));
    if (v.metered()) {
      ports.add(
          port(
              PodLayout.METERING_PORT_NAME, PodLayout.METERING_PORT, PodLayout.METERING_PORT_NAME));
    }
    return new ServiceBuilder()
        .withMetadata(metadata(fd, v))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selector(fd))
        .withPorts(ports)
        .endSpec()
        .build();
  }

  /** Lets a node drain evict one inference pod at a time. */
  public static PodDisruptionBudget podDisruptionBudget(FluxDeployment fd, ValidatedSpec v) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(metadata(fd, v))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(Labels.selector(fd))
        .endSelector()
        .endSpec()
        .build();
  }

  /**
   * Admits traffic to the pods' serving port (the sidecar's, in front of the server) and the
   * sidecar's metering port, and nothing else. With {@code counting: proxy} the server listens on
   * the pod's loopback where it can be told to, but a NIM cannot be told an address and binds
   * {@value PodLayout#UPSTREAM_PORT} on all of them: without this policy another pod could have
   * images generated there that the meter never sees. The ports are named, so pods of an older
   * template stay reachable during a rollout that changes the port; kubelet probes are not subject
   * to NetworkPolicies. Policies add up: one of the user's own that admits more to these pods
   * widens this one.
   */
  public static NetworkPolicy networkPolicy(FluxDeployment fd, ValidatedSpec v) {
    return new NetworkPolicyBuilder()
        .withMetadata(metadata(fd, v))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(Labels.selector(fd))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withPorts(policyPort(PodLayout.HTTP_PORT_NAME), policyPort(PodLayout.METERING_PORT_NAME))
        .endIngress()
        .endSpec()
        .build();
  }

  private static NetworkPolicyPort policyPort(String name) {
    return new NetworkPolicyPortBuilder()
        .withPort(new IntOrString(name))
        .withProtocol("TCP")
        .build();
  }

  /** The pods' identity; it needs no API access, so no token is mounted. */
  public static ServiceAccount serviceAccount(FluxDeployment fd, ValidatedSpec v) {
    return new ServiceAccountBuilder()
        .withMetadata(metadata(fd, v))
        .withAutomountServiceAccountToken(false)
        .build();
  }

  private static ServicePort port(String name, int port, String targetPort) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(port)
        .withTargetPort(new IntOrString(targetPort))
        .withProtocol("TCP")
        .build();
  }

  private static ObjectMeta metadata(FluxDeployment fd, ValidatedSpec v) {
    return new ObjectMetaBuilder()
        .withName(fd.getMetadata().getName())
        .withNamespace(fd.getMetadata().getNamespace())
        .withLabels(Labels.of(fd, v))
        .withOwnerReferences(controllerReference(fd))
        .build();
  }

  /**
   * Marks the FluxDeployment as the controller of the object: Kubernetes' garbage collector then
   * deletes it with the FluxDeployment, and no other controller adopts it.
   */
  static OwnerReference controllerReference(FluxDeployment fd) {
    return new OwnerReferenceBuilder()
        .withApiVersion(fd.getApiVersion())
        .withKind(fd.getKind())
        .withName(fd.getMetadata().getName())
        .withUid(fd.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
