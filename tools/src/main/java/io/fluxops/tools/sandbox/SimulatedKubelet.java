package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIMULATED: plays the scheduler, the kubelet and the Deployment controller, which the mock API
 * server does not have. It keeps each FluxOps Deployment's pods at its {@code replicas}, places
 * them on GPU nodes with free {@code nvidia.com/gpu} that match the pods' node affinity and
 * tolerate the nodes' taints, and runs each placed pod on 127.0.0.1 with ports of its own ({@link
 * PodNetwork}): the real metering sidecar first, then a stand-in inference server. A pod turns
 * Ready after a simulated start time.
 */
final class SimulatedKubelet extends PodRunner {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedKubelet.class);
  private static final String GPU = "nvidia.com/gpu";
  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  private final KubernetesClient client;
  private final PodNetwork network = new PodNetwork();
  private int podCounter;

  SimulatedKubelet(KubernetesClient client, PodRuntime runtime) {
    super(runtime);
    this.client = client;
  }

  /** The pod network, which the other simulated pods (the loader Jobs') share. */
  PodNetwork network() {
    return network;
  }

  @Override
  void tick() {
    List<Node> nodes = client.nodes().list().getItems();
    for (Deployment deployment :
        client
            .apps()
            .deployments()
            .inAnyNamespace()
            .withLabel(MANAGED_BY, "fluxops")
            .list()
            .getItems()) {
      reconcile(deployment, nodes);
    }
  }

  private void reconcile(Deployment deployment, List<Node> nodes) {
    String namespace = deployment.getMetadata().getNamespace();
    String name = deployment.getMetadata().getName();
    int want = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    List<SimulatedPod> mine = podsOf(namespace, name);
    for (SimulatedPod failed :
        mine.stream().filter(p -> p.phase() == SimulatedPod.Phase.FAILED).toList()) {
      // As a ReplicaSet replaces a failed pod: a new one, with new ports, in this tick.
      terminate(failed);
      mine.remove(failed);
    }
    while (mine.size() < want) {
      mine.add(create(deployment));
    }
    if (mine.size() > want) {
      mine.sort(VICTIM_ORDER);
      for (SimulatedPod victim : mine.subList(0, mine.size() - want)) {
        terminate(victim);
      }
      mine = podsOf(namespace, name);
    }
    for (SimulatedPod pod : mine) {
      if (pod.phase() == SimulatedPod.Phase.UNSCHEDULABLE) {
        schedule(pod, deployment.getSpec().getTemplate().getSpec(), nodes);
      } else if (pod.phase() == SimulatedPod.Phase.STARTING
          && pod.server != null
          && System.nanoTime() - pod.scheduledNanos >= runtime.startTime().toNanos()) {
        pod.phase.set(SimulatedPod.Phase.READY);
        writePodStatus(pod, deployment);
      }
    }
    writeDeploymentStatus(deployment, mine);
  }

  /** Scale-down removes pods that do no work first, then the youngest. */
  private static final Comparator<SimulatedPod> VICTIM_ORDER =
      Comparator.comparing((SimulatedPod p) -> p.phase() == SimulatedPod.Phase.READY)
          .thenComparing(p -> -p.createdNanos);

  private SimulatedPod create(Deployment deployment) {
    String namespace = deployment.getMetadata().getNamespace();
    String name = deployment.getMetadata().getName();
    Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    gpuTypeByDeployment.put(namespace + "/" + name, labels.getOrDefault("fluxops.io/gpu", ""));
    SimulatedPod pod =
        new SimulatedPod(
            namespace,
            name + "-sim" + (++podCounter),
            name,
            labels.getOrDefault("fluxops.io/model", ""),
            gpusOf(deployment.getSpec().getTemplate().getSpec()));
    PodSpec template = deployment.getSpec().getTemplate().getSpec();
    pod.address = network.allocate(PodNetwork.declaredHttp(template));
    PodSpec spec =
        PodNetwork.publish(client.getKubernetesSerialization().clone(template), pod.address);
    pod.containersFrom(spec);
    createPending(client, namespace, pod.name, labels, spec);
    add(pod);
    return pod;
  }

  /** Creates a pod as a controller does: Pending, marked as simulated. */
  static Pod createPending(
      KubernetesClient client,
      String namespace,
      String name,
      Map<String, String> labels,
      PodSpec spec) {
    return client
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(Map.of("fluxops.io/simulated", "true"))
                .endMetadata()
                .withSpec(spec)
                .withStatus(new PodStatusBuilder().withPhase("Pending").build())
                .build())
        .create();
  }

  private void schedule(SimulatedPod pod, PodSpec spec, List<Node> nodes) {
    Map<String, Integer> used = new HashMap<>();
    for (SimulatedPod other : pods.values()) {
      if (other.node != null) {
        used.merge(other.node, other.gpus, Integer::sum);
      }
    }
    int matching = 0;
    for (Node node : nodes) {
      if (!matchesAffinity(spec, node) || !toleratesTaints(spec, node)) {
        continue;
      }
      matching++;
      int free = capacity(node) - used.getOrDefault(node.getMetadata().getName(), 0);
      if (free >= pod.gpus) {
        bind(pod, node.getMetadata().getName());
        return;
      }
    }
    String message =
        String.format(
            "0/%d nodes are available: %s",
            nodes.size(),
            matching == 0
                ? nodes.size() + " node(s) didn't match Pod's node affinity/selector."
                : matching
                    + " Insufficient nvidia.com/gpu, "
                    + (nodes.size() - matching)
                    + " node(s) didn't match Pod's node affinity/selector.");
    if (!message.equals(pod.message)) {
      pod.message = message;
      patchStatus(
          pod,
          new PodStatusBuilder()
              .withPhase("Pending")
              .addNewCondition()
              .withType("PodScheduled")
              .withStatus("False")
              .withReason("Unschedulable")
              .withMessage(message)
              .endCondition()
              .build());
    }
  }

  private void bind(SimulatedPod pod, String node) {
    pod.node = node;
    pod.scheduledNanos = System.nanoTime();
    pod.phase.set(SimulatedPod.Phase.STARTING);
    patchStatus(
        pod,
        new PodStatusBuilder()
            .withPhase("Pending")
            .withPodIP(pod.address.ip())
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("True")
            .endCondition()
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .endCondition()
            .withInitContainerStatuses(waiting("metering"))
            .withContainerStatuses(waiting("inference"))
            .build());
    containers.execute(() -> startContainers(pod));
  }

  private void terminate(SimulatedPod pod) {
    remove(pod, () -> network.release(pod.address));
    try {
      client.pods().inNamespace(pod.namespace).withName(pod.name).delete();
    } catch (KubernetesClientException e) {
      LOG.debug("could not delete pod {}", pod.name, e);
    }
  }

  private void writePodStatus(SimulatedPod pod, Deployment deployment) {
    boolean metered = pod.metered();
    PodStatusBuilder status =
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(pod.address.ip())
            .withStartTime(Instant.now().toString())
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("True")
            .endCondition()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .withContainerStatuses(running("inference"));
    if (metered) {
      status.withInitContainerStatuses(running("metering"));
    }
    patchStatus(pod, status.build());
  }

  private void patchStatus(SimulatedPod pod, PodStatus status) {
    try {
      Pod current = client.pods().inNamespace(pod.namespace).withName(pod.name).get();
      if (current == null) {
        return;
      }
      current.setStatus(status);
      if (pod.node != null) {
        current.getSpec().setNodeName(pod.node);
        client.pods().inNamespace(pod.namespace).resource(current).update();
        current = client.pods().inNamespace(pod.namespace).withName(pod.name).get();
        current.setStatus(status);
      }
      client.pods().inNamespace(pod.namespace).resource(current).updateStatus();
    } catch (KubernetesClientException e) {
      LOG.debug("pod status of {} not written; next tick", pod.name, e);
    }
  }

  private void writeDeploymentStatus(Deployment deployment, List<SimulatedPod> mine) {
    int ready = (int) mine.stream().filter(p -> p.phase() == SimulatedPod.Phase.READY).count();
    long generation =
        deployment.getMetadata().getGeneration() == null
            ? 1
            : deployment.getMetadata().getGeneration();
    DeploymentStatus status =
        new DeploymentStatusBuilder()
            .withObservedGeneration(generation)
            .withReplicas(mine.size())
            .withUpdatedReplicas(mine.size())
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withUnavailableReplicas(mine.size() - ready == 0 ? null : mine.size() - ready)
            .build();
    if (Objects.equals(status, deployment.getStatus())) {
      return;
    }
    deployment.setStatus(status);
    try {
      client
          .apps()
          .deployments()
          .inNamespace(deployment.getMetadata().getNamespace())
          .resource(deployment)
          .updateStatus();
    } catch (KubernetesClientException e) {
      LOG.debug("deployment status not written; next tick", e);
    }
  }

  private static int gpusOf(PodSpec spec) {
    for (Container container : spec.getContainers()) {
      if (container.getResources() != null && container.getResources().getLimits() != null) {
        Quantity gpus = container.getResources().getLimits().get(GPU);
        if (gpus != null) {
          return Integer.parseInt(gpus.getAmount());
        }
      }
    }
    return 0;
  }

  private static int capacity(Node node) {
    Quantity gpus =
        node.getStatus() == null || node.getStatus().getAllocatable() == null
            ? null
            : node.getStatus().getAllocatable().get(GPU);
    return gpus == null ? 0 : Integer.parseInt(gpus.getAmount());
  }

  static boolean matchesAffinity(PodSpec spec, Node node) {
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (spec.getNodeSelector() != null) {
      for (var entry : spec.getNodeSelector().entrySet()) {
        if (!entry.getValue().equals(labels.get(entry.getKey()))) {
          return false;
        }
      }
    }
    if (spec.getAffinity() == null
        || spec.getAffinity().getNodeAffinity() == null
        || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
            == null) {
      return true;
    }
    List<NodeSelectorTerm> terms =
        spec.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    for (NodeSelectorTerm term : terms) {
      if (term.getMatchExpressions().stream().allMatch(r -> matches(r, labels))) {
        return true;
      }
    }
    return terms.isEmpty();
  }

  private static boolean matches(NodeSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }

  static boolean toleratesTaints(PodSpec spec, Node node) {
    if (node.getSpec() == null || node.getSpec().getTaints() == null) {
      return true;
    }
    for (Taint taint : node.getSpec().getTaints()) {
      boolean tolerated =
          spec.getTolerations() != null
              && spec.getTolerations().stream()
                  .anyMatch(
                      t ->
                          taint.getKey().equals(t.getKey())
                              && ("Exists".equals(t.getOperator())
                                  || Objects.equals(taint.getValue(), t.getValue())));
      if (!tolerated && "NoSchedule".equals(taint.getEffect())) {
        return false;
      }
    }
    return true;
  }

  private static ContainerStatus waiting(String container) {
    return new ContainerStatusBuilder()
        .withName(container)
        .withReady(false)
        .withNewState()
        .withNewWaiting()
        .withReason("ContainerCreating")
        .endWaiting()
        .endState()
        .build();
  }

  private static ContainerStatus running(String container) {
    return new ContainerStatusBuilder()
        .withName(container)
        .withReady(true)
        .withStarted(true)
        .withNewState()
        .withNewRunning()
        .withStartedAt(Instant.now().toString())
        .endRunning()
        .endState()
        .build();
  }
}
