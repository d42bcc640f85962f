package io.fluxops.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.testing.FakeKubelet;
import io.fluxops.operator.testing.MockCluster;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator restarts in the middle of a rollout: it picks up where it was, once. */
class OperatorRestartTest {

  private static final String NS = "restart";
  private static final String NAME = "kontext-blackwell";

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster().startOperator();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void restartMidRolloutFinishesItWithoutDuplicatesOrFlapping() {
    cluster.apply("flux-1-kontext-dev-blackwell.yaml", NS);
    cluster.awaitDeployment(NS, NAME);
    new FakeKubelet(cluster.client()).runReady(NS, NAME);
    await()
        .atMost(MockCluster.TIMEOUT)
        .until(() -> "True".equals(cluster.condition(NS, NAME, ConditionType.READY).getStatus()));

    cluster.stopOperator();
    cluster
        .fluxDeployment(NS, NAME)
        .edit(
            fd -> {
              fd.getSpec().getServer().setImage("example.com/flux-server:2.0");
              fd.getSpec().setReplicas(3);
              return fd;
            });
    cluster.startOperator();

    await()
        .atMost(MockCluster.TIMEOUT)
        .untilAsserted(
            () -> {
              var d = cluster.awaitDeployment(NS, NAME);
              assertThat(d.getSpec().getReplicas()).isEqualTo(3);
              assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .isEqualTo("example.com/flux-server:2.0");
              assertThat(cluster.condition(NS, NAME, ConditionType.PROGRESSING).getReason())
                  .isEqualTo("RollingOut");
            });
    // Converged: the first operator has written nothing for two polls (the rollout's last
    // status may still be on its way when the Deployment already shows the new template).
    AtomicInteger seen = new AtomicInteger(-1);
    await()
        .atMost(MockCluster.TIMEOUT)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              int now = cluster.dispatcher().writeCount();
              return seen.getAndSet(now) == now;
            });
    // Once converged, a second restart changes nothing: no flapping, no duplicates.
    cluster.stopOperator();
    var writes = cluster.dispatcher().writes();
    cluster.startOperator();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .untilAsserted(() -> assertThat(cluster.dispatcher().writes()).isEqualTo(writes));
    assertThat(cluster.client().apps().deployments().inNamespace(NS).list().getItems()).hasSize(1);
    assertThat(cluster.client().services().inNamespace(NS).list().getItems()).hasSize(1);
  }
}
