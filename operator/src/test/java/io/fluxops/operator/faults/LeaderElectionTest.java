package io.fluxops.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.operator.testing.MockCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two operator replicas: one leads and reconciles; when it goes, the other takes over. */
class LeaderElectionTest {

  private static final String NS = "le";

  /**
   * The leader that stops (SIGTERM in a rolling update) gives the Lease up, so the standby leads at
   * its next retry (every 2 s or so here), well before the 15 s Lease would have run out.
   */
  @Test
  void oneInstanceLeadsAndTheOtherTakesOverAsSoonAsItStops() {
    OperatorConfig config = leaderElection(15);
    try (MockCluster first = new MockCluster().startOperator(config, "operator-a");
        MockCluster second = first.secondInstance().startOperator(config, "operator-b")) {
      await().atMost(MockCluster.TIMEOUT).until(() -> holder(first) != null);
      assertThat(holder(first)).isEqualTo("operator-a");

      first.apply("flux-1-schnell.yaml", NS);
      first.awaitDeployment(NS, "schnell");

      first.stopOperator();
      await().atMost(Duration.ofSeconds(8)).until(() -> "operator-b".equals(holder(first)));
      first.apply("flux-tools-rtx-4090.yaml", NS);
      second.awaitDeployment(NS, "tools-4090");
      assertThat(first.lostLeases() + second.lostLeases()).isZero();
    }
  }

  private static OperatorConfig leaderElection(int leaseSeconds) {
    return OperatorOptions.load(
        Map.of(
            "FLUXOPS_LEADER_ELECTION", "true",
            "FLUXOPS_LEASE_NAMESPACE", "fluxops-system",
            "FLUXOPS_LEASE_DURATION_SECONDS", String.valueOf(leaseSeconds)));
  }

  private static String holder(MockCluster cluster) {
    Lease lease =
        cluster
            .client()
            .leases()
            .inNamespace("fluxops-system")
            .withName(OperatorConfig.LEASE_NAME)
            .get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
