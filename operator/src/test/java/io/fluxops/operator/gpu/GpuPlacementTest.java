package io.fluxops.operator.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fluxops.common.GpuType;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuPlacementTest {

  @Test
  void blackwellMatchesTheFamilyOrTheComputeMajor() {
    assertThat(GpuPlacement.gpuTerms(GpuType.BLACKWELL, List.of()))
        .extracting(t -> t.getMatchExpressions().get(0))
        .extracting(NodeSelectorRequirement::getKey, NodeSelectorRequirement::getValues)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("nvidia.com/gpu.family", List.of("blackwell")),
            org.assertj.core.groups.Tuple.tuple(
                "nvidia.com/gpu.compute.major", List.of("10", "12")));
  }

  @Test
  void productsReplaceTheTypesMatch() {
    assertThat(GpuPlacement.gpuTerms(GpuType.BLACKWELL, List.of("NVIDIA-B200")))
        .singleElement()
        .extracting(t -> t.getMatchExpressions().get(0).getValues())
        .isEqualTo(List.of("NVIDIA-B200"));
  }

  @Test
  void userRequiredTermsAreAndedWithEachGpuTerm() {
    var user =
        new AffinityBuilder()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey("topology.kubernetes.io/zone")
            .withOperator("In")
            .withValues("eu-1a")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .build();

    List<NodeSelectorTerm> terms =
        GpuPlacement.affinity(GpuType.BLACKWELL, List.of(), user)
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();

    assertThat(terms).hasSize(2);
    assertThat(terms)
        .allSatisfy(
            t ->
                assertThat(t.getMatchExpressions())
                    .extracting(NodeSelectorRequirement::getKey)
                    .contains("topology.kubernetes.io/zone"));
  }

  @Test
  void engineCacheIsKeyedByArchitectureOrPinnedProducts() {
    assertThat(GpuPlacement.engineCacheKey(GpuType.RTX_4090, List.of())).isEqualTo("ada-lovelace");
    assertThat(
            GpuPlacement.engineCacheKey(
                GpuType.BLACKWELL, List.of("NVIDIA-GeForce-RTX-5090", "NVIDIA-B200")))
        .isEqualTo("nvidia-b200_nvidia-geforce-rtx-5090");
  }
}
