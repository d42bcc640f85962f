package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated scheduler places pods only where the operator's node affinity allows. */
class SimulatedSchedulingTest {

  private static final Node RTX_4090 =
      SimulatedCluster.node(SimulatedCluster.POOLS.get(0), "sim-rtx4090-1");
  private static final Node RTX_5090 =
      SimulatedCluster.node(SimulatedCluster.POOLS.get(1), "sim-rtx5090-1");

  private static PodSpec requiring(String key, List<String> values) {
    return new PodSpecBuilder()
        .withNewAffinity()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator("In")
        .withValues(values)
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .endAffinity()
        .addNewToleration()
        .withKey("nvidia.com/gpu")
        .withOperator("Exists")
        .withEffect("NoSchedule")
        .endToleration()
        .build();
  }

  @Test
  void rtx4090PodsGoOnlyToRtx4090Nodes() {
    PodSpec pod = requiring("nvidia.com/gpu.product", List.of("NVIDIA-GeForce-RTX-4090"));

    assertThat(SimulatedKubelet.matchesAffinity(pod, RTX_4090)).isTrue();
    assertThat(SimulatedKubelet.matchesAffinity(pod, RTX_5090)).isFalse();
  }

  @Test
  void blackwellPodsMatchTheFamilyLabel() {
    PodSpec pod = requiring("nvidia.com/gpu.family", List.of("blackwell"));

    assertThat(SimulatedKubelet.matchesAffinity(pod, RTX_5090)).isTrue();
    assertThat(SimulatedKubelet.matchesAffinity(pod, RTX_4090)).isFalse();
  }

  @Test
  void podsWithoutTheGpuTolerationStayOffGpuNodes() {
    PodSpec tolerating = requiring("nvidia.com/gpu.family", List.of("blackwell"));
    PodSpec plain = new PodSpec();

    assertThat(SimulatedKubelet.toleratesTaints(tolerating, RTX_5090)).isTrue();
    assertThat(SimulatedKubelet.toleratesTaints(plain, RTX_5090)).isFalse();
  }
}
