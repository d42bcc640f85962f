package io.fluxops.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pool of nodes as a GPU cloud registers them: NVIDIA's device plugin advertises {@code
 * nvidia.com/gpu}, GPU feature discovery sets the {@code nvidia.com/gpu.*} labels, and the pool
 * carries the {@code nvidia.com/gpu:NoSchedule} taint. KWOK plays their kubelets.
 *
 * @param prefix node names are the prefix and a number from 1
 * @param nodes how many
 * @param gpusPerNode {@code nvidia.com/gpu} capacity of each
 * @param labels GFD's labels for this GPU (empty for a pool without GPUs)
 */
public record GpuNodePool(String prefix, int nodes, int gpusPerNode, Map<String, String> labels) {

  /** The extended resource NVIDIA's device plugin advertises, and the taint key of GPU pools. */
  public static final String GPU = "nvidia.com/gpu";

  /** KWOK's own marker; with it {@code kubectl get nodes} shows which nodes are simulated. */
  private static final String KWOK_ANNOTATION = "kwok.x-k8s.io/node";

  /** RTX 4090 nodes with two GPUs each, labelled as GFD labels an Ada Lovelace GPU. */
  public static GpuNodePool rtx4090(int nodes) {
    return rtx4090(nodes, 2);
  }

  /** RTX 4090 nodes with the given number of GPUs each. */
  public static GpuNodePool rtx4090(int nodes, int gpusPerNode) {
    return new GpuNodePool(
        "rtx4090-",
        nodes,
        gpusPerNode,
        gfd("NVIDIA-GeForce-RTX-4090", "ada-lovelace", 8, gpusPerNode));
  }

  /** RTX 5090 (Blackwell, compute 12) nodes with two GPUs each. */
  public static GpuNodePool blackwell(int nodes) {
    return blackwell(nodes, 2);
  }

  /** RTX 5090 (Blackwell, compute 12) nodes with the given number of GPUs each. */
  public static GpuNodePool blackwell(int nodes, int gpusPerNode) {
    return new GpuNodePool(
        "rtx5090-",
        nodes,
        gpusPerNode,
        gfd("NVIDIA-GeForce-RTX-5090", "blackwell", 12, gpusPerNode));
  }

  /** Nodes without GPUs or taint, where the operator's own Deployment and the like run. */
  public static GpuNodePool cpu(int nodes) {
    return new GpuNodePool("cpu-", nodes, 0, Map.of());
  }

  private static Map<String, String> gfd(
      String product, String family, int computeMajor, int count) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("nvidia.com/gpu.present", "true");
    labels.put("nvidia.com/gpu.product", product);
    labels.put("nvidia.com/gpu.family", family);
    labels.put("nvidia.com/gpu.compute.major", String.valueOf(computeMajor));
    labels.put("nvidia.com/gpu.count", String.valueOf(count));
    return labels;
  }

  /** The pool's Node objects, ready to create. */
  public List<Node> toNodes() {
    List<Node> result = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      result.add(node(prefix + i));
    }
    return result;
  }

  private Node node(String name) {
    Map<String, Quantity> resources = new LinkedHashMap<>();
    resources.put("cpu", new Quantity("32"));
    resources.put("memory", new Quantity("256Gi"));
    resources.put("pods", new Quantity("110"));
    if (gpusPerNode > 0) {
      resources.put(GPU, new Quantity(String.valueOf(gpusPerNode)));
    }
    NodeBuilder builder =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("kubernetes.io/hostname", name)
            .addToLabels("kubernetes.io/os", "linux")
            .addToLabels("kubernetes.io/arch", "amd64")
            .addToLabels("type", "kwok")
            .addToLabels(labels)
            .addToAnnotations(KWOK_ANNOTATION, "fake")
            .endMetadata()
            .withNewStatus()
            .withCapacity(resources)
            .withAllocatable(resources)
            .endStatus();
    if (gpusPerNode > 0) {
      builder
          .editOrNewSpec()
          .addNewTaint()
          .withKey(GPU)
          .withValue("present")
          .withEffect("NoSchedule")
          .endTaint()
          .endSpec();
    }
    return builder.build();
  }
}
