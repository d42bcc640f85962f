package io.fluxops.operator.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Plays scheduler and kubelet for a Deployment in the mock API server, which has neither: it
 * creates the Deployment's pods in a chosen state and writes the Deployment's status.
 */
public final class FakeKubelet {

  /**
   * Every pod this kubelet runs gets the loopback address, so tests can answer for the pods (queue
   * metrics, the sidecar) with real servers on this machine.
   */
  public static final String POD_IP = "127.0.0.1";

  private final KubernetesClient client;

  public FakeKubelet(KubernetesClient client) {
    this.client = client;
  }

  /** All pods scheduled on free GPUs, started and ready. */
  public void runReady(String namespace, String name) {
    run(namespace, name, i -> readyStatus(), true);
  }

  /** Pods the scheduler could not place, with its message. */
  public void runUnschedulable(String namespace, String name, String schedulerMessage) {
    run(
        namespace,
        name,
        i ->
            new PodStatusBuilder()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage(schedulerMessage)
                .endCondition()
                .build(),
        false);
  }

  /**
   * Pods whose licence volume cannot be mounted because the Secret is missing: the kubelet keeps
   * them in ContainerCreating and reports a FailedMount event.
   */
  public void runWithMissingLicenseSecret(String namespace, String name, String secretName) {
    List<Pod> pods =
        run(
            namespace,
            name,
            i ->
                new PodStatusBuilder()
                    .withPhase("Pending")
                    .addNewCondition()
                    .withType("PodScheduled")
                    .withStatus("True")
                    .endCondition()
                    .withInitContainerStatuses(waiting("metering", "PodInitializing", null))
                    .withContainerStatuses(waiting("inference", "PodInitializing", null))
                    .build(),
            false);
    for (Pod pod : pods) {
      failedMount(client, pod, "license", "secret \"" + secretName + "\" not found");
    }
  }

  /** The event the kubelet records when it cannot mount a pod's volume. */
  public static void failedMount(KubernetesClient client, Pod pod, String volume, String why) {
    String namespace = pod.getMetadata().getNamespace();
    client
        .v1()
        .events()
        .inNamespace(namespace)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName() + ".failedmount")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName(pod.getMetadata().getName())
                .withNamespace(namespace)
                .endInvolvedObject()
                .withReason("FailedMount")
                .withType("Warning")
                .withMessage("MountVolume.SetUp failed for volume \"" + volume + "\" : " + why)
                .build())
        .create();
  }

  /** Pods whose sidecar failed to start because a Secret key it references is missing. */
  public void runWithConfigError(String namespace, String name, String kubeletMessage) {
    run(
        namespace,
        name,
        i ->
            new PodStatusBuilder()
                .withPhase("Pending")
                .withInitContainerStatuses(
                    waiting("metering", "CreateContainerConfigError", kubeletMessage))
                .build(),
        false);
  }

  private List<Pod> run(
      String namespace, String name, IntFunction<PodStatus> status, boolean ready) {
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
    client
        .pods()
        .inNamespace(namespace)
        .withLabels(deployment.getSpec().getSelector().getMatchLabels())
        .delete();
    int replicas = deployment.getSpec().getReplicas();
    List<Pod> pods =
        java.util.stream.IntStream.range(0, replicas)
            .mapToObj(
                i ->
                    client
                        .pods()
                        .inNamespace(namespace)
                        .resource(
                            new PodBuilder()
                                .withNewMetadata()
                                .withName(name + "-pod-" + i)
                                .withNamespace(namespace)
                                .withLabels(
                                    deployment.getSpec().getTemplate().getMetadata().getLabels())
                                .endMetadata()
                                .withSpec(deployment.getSpec().getTemplate().getSpec())
                                .withStatus(status.apply(i))
                                .build())
                        .create())
            .toList();
    long generation =
        deployment.getMetadata().getGeneration() == null
            ? 1
            : deployment.getMetadata().getGeneration();
    deployment.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(generation)
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(ready ? replicas : 0)
            .withAvailableReplicas(ready ? replicas : 0)
            .build());
    client.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
    return pods;
  }

  private static PodStatus readyStatus() {
    return new PodStatusBuilder()
        .withPhase("Running")
        .withPodIP(POD_IP)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .withInitContainerStatuses(running("metering"))
        .withContainerStatuses(running("inference"))
        .build();
  }

  private static ContainerStatus running(String container) {
    return new ContainerStatusBuilder()
        .withName(container)
        .withReady(true)
        .withNewState()
        .withNewRunning()
        .withStartedAt("2026-11-21T10:00:00Z")
        .endRunning()
        .endState()
        .build();
  }

  private static ContainerStatus waiting(String container, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(container)
        .withReady(false)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }
}
