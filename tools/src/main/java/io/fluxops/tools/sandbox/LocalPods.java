package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fluxops.common.MeteringSidecar;
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.PodLayout;
import io.fluxops.operator.workload.PodPorts;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIMULATED containers on a real control plane: the real Deployment controller makes the pods, the
 * real scheduler places them on KWOK's GPU nodes and KWOK marks them Running with an IP from the
 * node's pod CIDR (a loopback range, see {@link KwokControlPlane}), but no container runs. This
 * runs each such pod's processes on this machine at the pod's IP and its container ports, as its
 * kubelet would: the real metering sidecar, then the stand-in server; and stops them when the pod
 * is deleted. Pods that reuse an IP wait until the pod that had it has stopped.
 */
final class LocalPods extends PodRunner {

  private static final Logger LOG = LoggerFactory.getLogger(LocalPods.class);

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, CompletableFuture<Void>> addressFree = new ConcurrentHashMap<>();

  LocalPods(KubernetesClient client, String namespace, PodRuntime runtime) {
    super(runtime);
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  void tick() {
    List<Pod> listed =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(Labels.NAME, Labels.APP_NAME)
            .list()
            .getItems();
    Set<String> live = new HashSet<>();
    for (Pod pod : listed) {
      String name = pod.getMetadata().getName();
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      live.add(name);
      SimulatedPod known = pods.get(key(namespace, name));
      if (known == null && runnable(pod)) {
        run(pod);
      } else if (known != null && dueForRestart(known)) {
        restart(known);
      }
    }
    for (SimulatedPod pod : List.copyOf(pods.values())) {
      if (!live.contains(pod.name)) {
        String ip = pod.address.ip();
        CompletableFuture<Void> free = new CompletableFuture<>();
        addressFree.put(ip, free);
        remove(pod, () -> free.complete(null));
      }
    }
  }

  /** Scheduled, and given an IP by KWOK. */
  private static boolean runnable(Pod pod) {
    return pod.getSpec().getNodeName() != null
        && pod.getStatus() != null
        && pod.getStatus().getPodIP() != null
        && !pod.getStatus().getPodIP().isEmpty();
  }

  private void run(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String deployment = labels.getOrDefault(Labels.INSTANCE, "");
    SimulatedPod local =
        new SimulatedPod(
            namespace,
            pod.getMetadata().getName(),
            deployment,
            labels.getOrDefault("fluxops.io/model", ""),
            gpus(pod));
    String ip = pod.getStatus().getPodIP();
    local.node = pod.getSpec().getNodeName();
    // Each pod has an IP of its own here, so every port is the one the operator wrote.
    int http = PodPorts.named(pod, PodLayout.HTTP_PORT_NAME).orElse(8080);
    local.address =
        new SimulatedPod.Address(
            ip,
            http,
            PodPorts.named(pod, PodLayout.METERING_PORT_NAME).orElse(MeteringSidecar.PORT),
            MeteringSidecar.USAGE_PORT,
            MeteringSidecar.UPSTREAM_PORT,
            http);
    local.containersFrom(pod.getSpec());
    local.scheduledNanos = System.nanoTime();
    local.phase.set(SimulatedPod.Phase.STARTING);
    gpuTypeByDeployment.put(key(namespace, deployment), labels.getOrDefault("fluxops.io/gpu", ""));
    add(local);
    CompletableFuture<Void> previous =
        addressFree.getOrDefault(ip, CompletableFuture.completedFuture(null));
    previous.thenRunAsync(() -> startAndMarkReady(local), containers);
  }

  private static boolean dueForRestart(SimulatedPod pod) {
    return pod.phase() == SimulatedPod.Phase.FAILED && System.nanoTime() >= pod.nextStartNanos;
  }

  /**
   * As the kubelet restarts the containers of a pod whose {@code restartPolicy} is Always: the pod
   * stays, with its IP and ports, and its containers start again after the back-off.
   */
  private void restart(SimulatedPod pod) {
    if (!pod.phase.compareAndSet(SimulatedPod.Phase.FAILED, SimulatedPod.Phase.STARTING)) {
      return;
    }
    LOG.info("pod {}: starting its containers again", pod.name);
    containers.execute(() -> startAndMarkReady(pod));
  }

  private void startAndMarkReady(SimulatedPod pod) {
    startContainers(pod);
    pod.phase.compareAndSet(SimulatedPod.Phase.STARTING, SimulatedPod.Phase.READY);
  }

  private static int gpus(Pod pod) {
    for (Container container : pod.getSpec().getContainers()) {
      if (container.getResources() != null && container.getResources().getLimits() != null) {
        Quantity gpus = container.getResources().getLimits().get("nvidia.com/gpu");
        if (gpus != null) {
          return Integer.parseInt(gpus.getAmount());
        }
      }
    }
    return 0;
  }
}
