package io.fluxops.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.operator.testing.MockCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Someone deletes or edits what the operator owns: it puts its version back. */
class OwnedObjectDriftTest {

  private static final String NS = "drift";

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster().startOperator();
    cluster.apply("flux-1-kontext-dev-blackwell.yaml", NS);
    cluster.awaitDeployment(NS, "kontext-blackwell");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void deletedObjectsComeBack() {
    var client = cluster.client();
    client.services().inNamespace(NS).withName("kontext-blackwell").delete();
    client.apps().deployments().inNamespace(NS).withName("kontext-blackwell").delete();
    client.serviceAccounts().inNamespace(NS).withName("kontext-blackwell").delete();

    await()
        .atMost(MockCluster.TIMEOUT)
        .until(
            () ->
                client.services().inNamespace(NS).withName("kontext-blackwell").get() != null
                    && client
                            .apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("kontext-blackwell")
                            .get()
                        != null
                    && client.serviceAccounts().inNamespace(NS).withName("kontext-blackwell").get()
                        != null);
  }

  @Test
  void editedFieldsAreRestored() {
    var deployments =
        cluster.client().apps().deployments().inNamespace(NS).withName("kontext-blackwell");
    deployments.edit(
        d -> {
          d.getSpec().setReplicas(7);
          d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("attacker/image:1");
          d.getSpec().getTemplate().getSpec().setInitContainers(java.util.List.of());
          return d;
        });

    await()
        .atMost(MockCluster.TIMEOUT)
        .untilAsserted(
            () -> {
              var d = deployments.get();
              assertThat(d.getSpec().getReplicas()).isEqualTo(2);
              assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .isEqualTo("example.com/flux-server:1.0");
              assertThat(d.getSpec().getTemplate().getSpec().getInitContainers()).hasSize(1);
            });
  }
}
