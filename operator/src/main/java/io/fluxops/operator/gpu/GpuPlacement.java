package io.fluxops.operator.gpu;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fluxops.common.GpuType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a GPU type's pods may run: the node affinity on GFD labels and the GPU taint's toleration.
 * A user's own affinity is merged so that both must hold.
 */
public final class GpuPlacement {

  private GpuPlacement() {}

  /** Node selector terms (ORed) that match the GPU type, or exactly the listed products. */
  public static List<NodeSelectorTerm> gpuTerms(GpuType type, List<String> products) {
    if (products != null && !products.isEmpty()) {
      return List.of(term(List.of(in(GpuLabels.PRODUCT, products))));
    }
    return GpuNodeMatch.of(type).stream()
        .map(m -> term(List.of(in(m.label(), m.values()))))
        .collect(Collectors.toList());
  }

  /**
   * The pod's affinity: the GPU terms ANDed with the user's required node terms (Kubernetes ORs
   * terms, so each GPU term is joined with each user term), and the user's preferred node terms and
   * pod (anti-)affinity as given.
   */
  public static Affinity affinity(GpuType type, List<String> products, Affinity user) {
    List<NodeSelectorTerm> terms = gpuTerms(type, products);
    List<NodeSelectorTerm> userTerms = requiredTerms(user);
    if (!userTerms.isEmpty()) {
      List<NodeSelectorTerm> merged = new ArrayList<>();
      for (NodeSelectorTerm gpu : terms) {
        for (NodeSelectorTerm own : userTerms) {
          merged.add(join(gpu, own));
        }
      }
      terms = merged;
    }
    var builder = user == null ? new AffinityBuilder() : new AffinityBuilder(user);
    return builder
        .editOrNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(terms)
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .build();
  }

  /** Tolerates the {@code nvidia.com/gpu} NoSchedule taint GPU node pools carry. */
  public static Toleration gpuToleration() {
    return new TolerationBuilder()
        .withKey(GpuLabels.GPU_TAINT_KEY)
        .withOperator("Exists")
        .withEffect("NoSchedule")
        .build();
  }

  /**
   * The engine-cache sub-path for this placement. TensorRT engine file names do not name the GPU,
   * so each architecture (or, when products are pinned, each product set) gets its own directory.
   */
  public static String engineCacheKey(GpuType type, List<String> products) {
    if (products != null && !products.isEmpty()) {
      return products.stream()
          .map(p -> p.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-"))
          .sorted()
          .collect(Collectors.joining("_"));
    }
    return type.architecture();
  }

  private static List<NodeSelectorTerm> requiredTerms(Affinity user) {
    if (user == null
        || user.getNodeAffinity() == null
        || user.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return List.of();
    }
    return user.getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
  }

  private static NodeSelectorTerm join(NodeSelectorTerm a, NodeSelectorTerm b) {
    var builder = new NodeSelectorTermBuilder(a);
    if (b.getMatchExpressions() != null) {
      builder.addAllToMatchExpressions(b.getMatchExpressions());
    }
    if (b.getMatchFields() != null && !b.getMatchFields().isEmpty()) {
      builder.addAllToMatchFields(b.getMatchFields());
    }
    return builder.build();
  }

  private static NodeSelectorTerm term(List<NodeSelectorRequirement> expressions) {
    return new NodeSelectorTermBuilder().withMatchExpressions(expressions).build();
  }

  private static NodeSelectorRequirement in(String label, List<String> values) {
    return new NodeSelectorRequirementBuilder()
        .withKey(label)
        .withOperator("In")
        .withValues(values)
        .build();
  }
}
