package io.fluxops.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fluxops.deploy.support.HelmChart;
import io.fluxops.deploy.support.RenderedChart;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart with every optional switch on (values/all-switches.yaml). */
class OptionalObjectsTest {

  private final RenderedChart chart = HelmChart.render("all-switches.yaml");

  @Test
  void everySwitchOnAddsItsObjects() {
    assertThat(chart.kindsAndNames())
        .contains(
            "ServiceMonitor/fluxops",
            "NetworkPolicy/fluxops",
            "DaemonSet/nvidia-device-plugin",
            "RuntimeClass/nvidia",
            "ConfigMap/nvidia-device-plugin-config",
            "PrometheusRule/fluxops",
            "ConfigMap/fluxops-dashboard",
            "PodMonitor/fluxops-metering");
  }

  @Test
  void alertRulesDashboardAndSidecarPodMonitorAreAdded() {
    assertThat(chart.kindsAndNames())
        .contains(
            "PrometheusRule/fluxops", "ConfigMap/fluxops-dashboard", "PodMonitor/fluxops-metering");
  }

  @Test
  void serviceMonitorScrapesTheOperatorsMetricsService() {
    GenericKubernetesResource monitor =
        (GenericKubernetesResource)
            chart.objects().stream()
                .filter(o -> o.getKind().equals("ServiceMonitor"))
                .findFirst()
                .orElseThrow();
    Service service = chart.one(Service.class, HelmChart.RELEASE);

    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    assertThat(service.getMetadata().getLabels())
        .containsAllEntriesOf(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"));
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e).containsEntry("port", service.getSpec().getPorts().get(0).getName());
              assertThat(e).containsEntry("path", "/metrics");
            });
  }

  @Test
  void networkPolicyAdmitsOnlyScrapesAndLetsOutOnlyWhatTheOperatorNeeds() {
    NetworkPolicy policy = chart.one(NetworkPolicy.class, HelmChart.RELEASE);

    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getPorts())
                  .extracting(p -> p.getPort().getStrVal())
                  .containsExactly("http-metrics");
              assertThat(rule.getFrom())
                  .singleElement()
                  .satisfies(
                      peer ->
                          assertThat(peer.getNamespaceSelector().getMatchLabels())
                              .containsEntry("kubernetes.io/metadata.name", "monitoring"));
            });
    var egress = policy.getSpec().getEgress();
    assertThat(egress).hasSize(3);
    assertThat(ports(egress.get(0).getPorts())).containsExactly("UDP/53", "TCP/53");
    assertThat(egress.get(1).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.0.0.1/32");
    assertThat(ports(egress.get(1).getPorts())).containsExactly("TCP/443", "TCP/6443");
    assertThat(ports(egress.get(2).getPorts())).containsExactly("TCP/6379");
  }

  @Test
  void networkPolicyLeavesEgressOpenUntilTheApiServerIsNamed() {
    NetworkPolicy policy =
        HelmChart.render("network-policy-ingress-only.yaml")
            .one(NetworkPolicy.class, HelmChart.RELEASE);

    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
    assertThat(policy.getSpec().getIngress().get(0).getFrom()).isNullOrEmpty();
  }

  @Test
  void pricesReachTheOperatorAndAZeroPriceIsKept() {
    Map<String, String> env = chart.operatorEnv();

    assertThat(env)
        .containsEntry("FLUXOPS_GPU_PRICE_RTX_4090", "0.34")
        .containsEntry("FLUXOPS_GPU_PRICE_BLACKWELL", "0")
        .containsEntry("FLUXOPS_API_PRICE_PER_IMAGE", "0.04");
  }

  @Test
  void operatorPullsWithTheGivenSecretsAndRunsTwoReplicas() {
    Deployment deployment = chart.one(Deployment.class, HelmChart.RELEASE);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getTemplate().getSpec().getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("registry-credentials");
  }

  @Test
  void devicePluginRunsOnlyOnGpuNodesWithAPinnedImage() {
    var pod = chart.one(DaemonSet.class, "nvidia-device-plugin").getSpec().getTemplate().getSpec();

    assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
    assertThat(pod.getTolerations())
        .anySatisfy(
            t -> {
              assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(pod.getContainers().get(0).getImage())
        .matches("nvcr\\.io/nvidia/k8s-device-plugin:v\\d+\\.\\d+\\.\\d+");
    assertThat(pod.getRuntimeClassName())
        .isEqualTo(chart.one(RuntimeClass.class, "nvidia").getMetadata().getName());
  }

  @Test
  void timeSlicingSharesEachGpuUnderItsUsualResourceName() {
    String config =
        chart.one(ConfigMap.class, "nvidia-device-plugin-config").getData().get("config.yaml");

    assertThat(config)
        .contains("renameByDefault: false")
        .contains("- name: nvidia.com/gpu")
        .contains("replicas: 4");
    assertThat(
            chart
                .one(DaemonSet.class, "nvidia-device-plugin")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .anySatisfy(e -> assertThat(e.getName()).isEqualTo("CONFIG_FILE"));
  }

  private static List<String> ports(List<NetworkPolicyPort> ports) {
    return ports.stream().map(p -> p.getProtocol() + "/" + p.getPort().getIntVal()).toList();
  }
}
