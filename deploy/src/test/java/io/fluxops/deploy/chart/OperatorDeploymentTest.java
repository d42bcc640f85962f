package io.fluxops.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fluxops.deploy.support.HelmChart;
import io.fluxops.deploy.support.RenderedChart;
import io.fluxops.deploy.support.RepoFiles;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart with its default values: the operator, its Service, account and RBAC, nothing else. */
class OperatorDeploymentTest {

  private final RenderedChart chart = HelmChart.render();
  private final Deployment deployment = chart.one(Deployment.class, HelmChart.RELEASE);
  private final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
  private final Container operator = pod.getContainers().get(0);

  @Test
  void defaultsInstallTheOperatorAndNothingOptional() {
    assertThat(chart.kindsAndNames())
        .containsExactly(
            "ClusterRole/fluxops",
            "ClusterRoleBinding/fluxops",
            "Deployment/fluxops",
            "Role/fluxops-leader-election",
            "RoleBinding/fluxops-leader-election",
            "Service/fluxops",
            "ServiceAccount/fluxops");
  }

  @Test
  void operatorRunsTheProjectsImagesAtItsVersion() {
    String version = RepoFiles.projectVersion();

    assertThat(operator.getImage()).isEqualTo("ghcr.io/fluxops/fluxops-operator:" + version);
    assertThat(env()).containsEntry("FLUXOPS_METERING_IMAGE", sidecar(version));
    assertThat(env())
        .containsEntry("FLUXOPS_LOADER_IMAGE", "ghcr.io/fluxops/fluxops-loader:" + version)
        .containsEntry("FLUXOPS_HUGGINGFACE_ENDPOINT", "https://huggingface.co");
  }

  @Test
  void operatorRunsUnderTheRestrictedPodSecurityStandard() {
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = operator.getSecurityContext();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getPrivileged()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void theJvmGetsAWritableTmpOnTheReadOnlyRootFilesystem() {
    assertThat(operator.getVolumeMounts())
        .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).anySatisfy(volume -> assertThat(volume.getEmptyDir()).isNotNull());
  }

  @Test
  void everyProbeAsksHealthzOnTheOperatorsPort() {
    assertThat(operator.getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getName()).isEqualTo("http-metrics");
              assertThat(port.getContainerPort()).isEqualTo(8080);
            });
    assertThat(env()).containsEntry("FLUXOPS_HTTP_PORT", "8080");
    for (Probe probe :
        new Probe[] {
          operator.getStartupProbe(), operator.getLivenessProbe(), operator.getReadinessProbe()
        }) {
      assertThat(probe.getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http-metrics");
    }
  }

  @Test
  void podNameAndNamespaceComeFromTheDownwardApi() {
    Map<String, EnvVar> byName =
        operator.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));

    assertThat(byName.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.name");
    assertThat(byName.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
  }

  @Test
  void defaultsWatchAllNamespacesWithLeaderElectionAndTheOperatorsOwnPrices() {
    assertThat(env())
        .containsEntry("FLUXOPS_WATCH_NAMESPACES", "")
        .containsEntry("FLUXOPS_LEADER_ELECTION", "true")
        .doesNotContainKeys(
            "FLUXOPS_GPU_PRICE_RTX_4090",
            "FLUXOPS_GPU_PRICE_BLACKWELL",
            "FLUXOPS_API_PRICE_PER_IMAGE");
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
  }

  @Test
  void pricesGivenAsHelmSetStringsReachTheOperatorAsTheyWereTyped() {
    var container =
        HelmChart.render("prices-as-strings.yaml")
            .one(Deployment.class, HelmChart.RELEASE)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().contains("PRICE"))
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("FLUXOPS_GPU_PRICE_RTX_4090", "0.34"),
            org.assertj.core.groups.Tuple.tuple("FLUXOPS_GPU_PRICE_BLACKWELL", "1.2"),
            org.assertj.core.groups.Tuple.tuple("FLUXOPS_API_PRICE_PER_IMAGE", "0.04"));
  }

  @Test
  void withoutLeaderElectionTwoOperatorsNeverOverlap() {
    RenderedChart single = HelmChart.render("leader-election-off.yaml");
    Deployment d = single.one(Deployment.class, HelmChart.RELEASE);

    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("FLUXOPS_LEADER_ELECTION");
              assertThat(e.getValue()).isEqualTo("false");
            });
    assertThat(single.all(Role.class)).isEmpty();
  }

  @Test
  void serviceSendsMetricsScrapesToTheOperatorPods() {
    Service service = chart.one(Service.class, HelmChart.RELEASE);

    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getPort()).isEqualTo(8080);
              assertThat(port.getTargetPort().getStrVal()).isEqualTo("http-metrics");
            });
  }

  @Test
  void operatorRunsAsItsOwnServiceAccount() {
    assertThat(pod.getServiceAccountName()).isEqualTo(HelmChart.RELEASE);
  }

  private Map<String, String> env() {
    return chart.operatorEnv();
  }

  private static String sidecar(String version) {
    return "ghcr.io/fluxops/fluxops-metering:" + version;
  }
}
