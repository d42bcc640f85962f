package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/** The simulated API server keeps status apart from spec as kube-apiserver does. */
class SimulatedClusterTest {

  @Test
  void anUpdateWithoutAStatusKeepsTheDeploymentsStatus() throws Exception {
    try (SimulatedCluster cluster = new SimulatedCluster()) {
      KubernetesClient client = cluster.client();
      var deployments = client.apps().deployments().inNamespace(ControlPlane.NAMESPACE);
      Deployment created = deployments.resource(deployment(1)).create();
      created.setStatus(new DeploymentStatusBuilder().withReadyReplicas(1).build());
      deployments.resource(created).updateStatus();

      // As the operator updates what it owns: the desired object, which carries no status.
      Deployment desired = deployment(2);
      desired
          .getMetadata()
          .setResourceVersion(deployments.withName("d").get().getMetadata().getResourceVersion());
      Deployment answer = deployments.resource(desired).update();

      assertThat(answer.getSpec().getReplicas()).isEqualTo(2);
      assertThat(answer.getStatus().getReadyReplicas()).as("in the answer").isEqualTo(1);
      assertThat(deployments.withName("d").get().getStatus().getReadyReplicas())
          .as("stored")
          .isEqualTo(1);
    }
  }

  @Test
  void theResourceOfAPathIsItsPlural() {
    assertThat(SimulatedCluster.plural("/api/v1/namespaces/flux/pods/p")).isEqualTo("pods");
    assertThat(SimulatedCluster.plural("/api/v1/namespaces/flux/pods?watch=true"))
        .isEqualTo("pods");
    assertThat(SimulatedCluster.plural("/apis/apps/v1/namespaces/flux/deployments/d/status"))
        .isEqualTo("deployments");
    assertThat(SimulatedCluster.plural("/api/v1/namespaces/flux")).isEqualTo("namespaces");
    assertThat(SimulatedCluster.plural("/api/v1/nodes/n")).isEqualTo("nodes");
    assertThat(SimulatedCluster.plural("/apis/fluxops.io/v1alpha1/namespaces/flux/fluxdeployments"))
        .isEqualTo("fluxdeployments");
  }

  private static Deployment deployment(int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("d")
        .withNamespace(ControlPlane.NAMESPACE)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", "d")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "d")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("example.com/c:1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
