package io.fluxops.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fluxops.deploy.support.HelmChart;
import io.fluxops.deploy.support.RenderedChart;
import io.fluxops.deploy.support.RepoFiles;
import io.fluxops.deploy.support.Yaml;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's alert rules, dashboard and sidecar PodMonitor: each from its one file, only behind
 * its switch, and the example copy of the dashboard equal to the chart's.
 */
class ChartObservabilityTest {

  static final String DASHBOARD = "charts/fluxops/files/dashboards/fluxops.json";
  static final String DASHBOARD_EXAMPLE = "examples/grafana/fluxops.json";

  private final RenderedChart all = HelmChart.render("all-switches.yaml");

  @Test
  void prometheusRuleCarriesTheRulesFileAsItIs() {
    GenericKubernetesResource rule = generic(all, "PrometheusRule");

    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    // Prometheus' own {{ $labels.name }} templates reach the cluster untouched by Helm.
    assertThat(rule.<Object>get("spec", "groups"))
        .isEqualTo(Yaml.map(RepoFiles.read(AlertRulesTest.RULES)).get("groups"));
  }

  @Test
  void dashboardConfigMapIsLabelledForGrafanasSidecarAndHoldsTheDashboardFile() {
    ConfigMap dashboard = all.one(ConfigMap.class, "fluxops-dashboard");

    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData().get("fluxops.json"))
        .isEqualTo(RepoFiles.read(DASHBOARD).strip());
  }

  @Test
  void dashboardGoesToTheNamespaceGrafanaWatches() {
    ConfigMap dashboard =
        HelmChart.render("all-switches.yaml", "grafana-namespace.yaml")
            .one(ConfigMap.class, "fluxops-dashboard");

    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
  }

  @Test
  void exampleDashboardIsTheChartsDashboard() {
    assertThat(RepoFiles.read(DASHBOARD_EXAMPLE))
        .as("examples/grafana/fluxops.json is a copy: cp %s %s", DASHBOARD, DASHBOARD_EXAMPLE)
        .isEqualTo(RepoFiles.read(DASHBOARD));
  }

  @Test
  void podMonitorScrapesTheSidecarsInEveryWatchedNamespace() {
    GenericKubernetesResource monitor = generic(all, "PodMonitor");

    assertThat(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"))
        .containsEntry("app.kubernetes.io/managed-by", "fluxops");
    assertThat(monitor.<Boolean>get("spec", "namespaceSelector", "any")).isTrue();
    List<Map<String, Object>> endpoints = monitor.get("spec", "podMetricsEndpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e)
                    .containsEntry("port", "metering")
                    .containsEntry("path", "/metrics")
                    .containsEntry("honorLabels", true));
  }

  @Test
  void defaultsRenderNone() {
    assertThat(HelmChart.render().kindsAndNames())
        .noneMatch(
            o ->
                o.startsWith("PrometheusRule/")
                    || o.startsWith("PodMonitor/")
                    || o.equals("ConfigMap/fluxops-dashboard"));
  }

  private static GenericKubernetesResource generic(RenderedChart chart, String kind) {
    return (GenericKubernetesResource)
        chart.objects().stream().filter(o -> o.getKind().equals(kind)).findFirst().orElseThrow();
  }
}
