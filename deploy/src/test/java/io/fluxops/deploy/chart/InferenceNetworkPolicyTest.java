package io.fluxops.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fluxops.deploy.support.HelmChart;
import io.fluxops.deploy.support.RenderedChart;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The inference pods' NetworkPolicy: the sidecar's port 9469 only for the operator and the named
 * scrapers, the serving port for the named clients and the operator. (The usage endpoint is on the
 * pod's loopback: no policy is involved.) With it, the operator places no policy of its own for the
 * FluxDeployments counted by proxy.
 */
class InferenceNetworkPolicyTest {

  private final RenderedChart chart = HelmChart.render("inference-network-policy.yaml");

  @Test
  void onePolicyInEachWatchedNamespaceSelectsTheInferencePods() {
    List<NetworkPolicy> policies =
        chart.all(NetworkPolicy.class).stream()
            .filter(p -> p.getMetadata().getName().equals("fluxops-inference"))
            .toList();

    assertThat(policies)
        .extracting(p -> p.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("flux-dev", "flux-prod");
    assertThat(policies.get(0).getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "flux-inference")
        .containsEntry("app.kubernetes.io/managed-by", "fluxops");
    assertThat(policies.get(0).getSpec().getPolicyTypes()).containsExactly("Ingress");
  }

  @Test
  void theSidecarsPortAdmitsOnlyTheOperatorAndTheScrapers() {
    NetworkPolicyIngressRule metering = rule("metering");

    assertThat(metering.getFrom()).hasSize(2);
    assertThat(metering.getFrom().get(0)).satisfies(InferenceNetworkPolicyTest::isTheOperator);
    assertThat(metering.getFrom().get(1).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "monitoring");
  }

  @Test
  void theServingPortAdmitsTheNamedClientsAndTheOperator() {
    NetworkPolicyIngressRule serving = rule("http");

    assertThat(serving.getFrom()).hasSize(2);
    assertThat(serving.getFrom().get(0)).satisfies(InferenceNetworkPolicyTest::isTheOperator);
    assertThat(serving.getFrom().get(1).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "apps");
  }

  @Test
  void withoutServingFromTheServingPortIsOpen() {
    RenderedChart open =
        HelmChart.render("watch-namespaces.yaml", "inference-network-policy-open.yaml");
    NetworkPolicy policy =
        open.all(NetworkPolicy.class).stream()
            .filter(p -> p.getMetadata().getName().equals("fluxops-inference"))
            .findFirst()
            .orElseThrow();

    assertThat(policy.getSpec().getIngress().get(1).getFrom()).isNullOrEmpty();
    assertThat(policy.getSpec().getIngress().get(0).getFrom())
        .singleElement()
        .satisfies(InferenceNetworkPolicyTest::isTheOperator);
  }

  @Test
  void theChartsPolicyTakesOverFromTheOperatorsPolicyPerProxiedFluxDeployment() {
    assertThat(chart.operatorEnv()).containsEntry("FLUXOPS_PROXY_NETWORK_POLICY", "false");
    assertThat(HelmChart.render().operatorEnv())
        .containsEntry("FLUXOPS_PROXY_NETWORK_POLICY", "true");
  }

  private NetworkPolicyIngressRule rule(String port) {
    NetworkPolicy policy =
        chart.all(NetworkPolicy.class).stream()
            .filter(p -> p.getMetadata().getName().equals("fluxops-inference"))
            .findFirst()
            .orElseThrow();
    return policy.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().get(0).getPort().getStrVal().equals(port))
        .findFirst()
        .orElseThrow();
  }

  private static void isTheOperator(NetworkPolicyPeer peer) {
    assertThat(peer.getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", HelmChart.NAMESPACE);
    assertThat(peer.getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "fluxops-operator");
  }
}
