package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In its production configuration, the operator restores what it owns in a Deployment someone
 * edited with kubectl, keeps what they added, and then writes nothing (the two modes side by side:
 * {@link ServerSideApplyBenchmark}, in BENCHMARKS.md).
 */
@ExtendWith(RealCluster.class)
class OwnedObjectEditsClusterIT {

  @Test
  void editsToAnOwnedDeploymentAreRestoredOrKeptAndCostNoWritesAfter(KwokCluster cluster)
      throws Exception {
    Map<String, String> measured =
        OwnedObjectEdits.measure(cluster, OwnedObjectEdits.productionDefault());
    assertThat(measured)
        .as("measured with serverSideApply=" + OwnedObjectEdits.productionDefault())
        .containsEntry(OwnedObjectEdits.IMAGE_AND_REPLICAS, "restored")
        .containsEntry(OwnedObjectEdits.LABEL, "kept")
        .containsEntry(OwnedObjectEdits.RESTART, "kept")
        .containsEntry(OwnedObjectEdits.IDLE_WRITES, "0");
  }
}
