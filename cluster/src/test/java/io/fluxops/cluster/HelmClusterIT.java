package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart through the real Helm CLI into the real API server. */
@ExtendWith(RealCluster.class)
class HelmClusterIT {

  private static final Path CHART = RealCluster.REPO_ROOT.resolve("charts/fluxops");
  private static final Path VALUES =
      RealCluster.REPO_ROOT.resolve("deploy/src/test/resources/values");
  private static final String NAMESPACE = "helm-it";
  private static final String RELEASE = "fluxops-helm";

  @BeforeAll
  static void prepare(KwokCluster cluster) {
    // Namespaces the values files name, and the Prometheus Operator's CRDs for the chart's
    // ServiceMonitor, PodMonitor and PrometheusRule (from its source, as build.sh fetched it).
    for (String namespace : List.of(NAMESPACE, "monitoring", "flux-dev", "flux-prod")) {
      Fixtures.createNamespace(cluster, namespace);
    }
    cluster
        .kubectl("apply", "--server-side", "-f", cluster.binaries().crds().toString())
        .runOrThrow();
    Fixtures.installCrd(cluster);
  }

  static Stream<String> valuesFiles() throws IOException {
    try (Stream<Path> files = Files.list(VALUES)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .map(f -> f.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void everyValuesFileRendersObjectsTheApiServerAccepts(String valuesFile, KwokCluster cluster) {
    String rendered =
        cluster
            .helm(
                "template",
                RELEASE,
                CHART.toString(),
                "--namespace",
                NAMESPACE,
                "--kube-version",
                cluster.admin().getKubernetesVersion().getGitVersion(),
                "--values",
                VALUES.resolve(valuesFile).toString())
            .runOrThrow();
    Command.Result dryRun =
        cluster
            // Every namespaced object the chart renders names its namespace.
            .kubectl("apply", "--dry-run=server", "--validate=strict", "-f", "-")
            .stdin(rendered)
            .run();
    assertThat(dryRun.exitCode()).as(dryRun.failure()).isZero();
    assertThat(dryRun.stderr()).as("warnings from the API server").doesNotContain("Warning");
  }

  @Test
  void helmInstallsUpgradesAndUninstallsTheChart(KwokCluster cluster) {
    Command.Result install =
        cluster
            .helm(
                "install",
                RELEASE,
                CHART.toString(),
                "--namespace",
                NAMESPACE,
                "--wait",
                "--timeout",
                "2m")
            .timeout(Duration.ofMinutes(3))
            .run();
    assertThat(install.exitCode()).as(install.failure()).isZero();
    Captured.write(
        "helm-install",
        "helm install " + RELEASE + " charts/fluxops --namespace " + NAMESPACE + " --wait",
        install.stdout());
    assertThat(install.stdout()).contains("STATUS: deployed");
    Deployment operator =
        cluster.admin().apps().deployments().inNamespace(NAMESPACE).withName(RELEASE).get();
    assertThat(operator.getStatus().getReadyReplicas())
        .as("the operator's pod, scheduled on the node without GPUs and run by KWOK")
        .isEqualTo(1);

    Command.Result upgrade =
        cluster
            .helm(
                "upgrade",
                RELEASE,
                CHART.toString(),
                "--namespace",
                NAMESPACE,
                "--reuse-values",
                "--set",
                "costs.gpuHourlyPriceUsd.rtx4090=0.34",
                "--wait",
                "--timeout",
                "2m")
            .timeout(Duration.ofMinutes(3))
            .run();
    assertThat(upgrade.exitCode()).as(upgrade.failure()).isZero();
    assertThat(upgrade.stdout()).contains("REVISION: 2");
    assertThat(
            cluster
                .admin()
                .apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .withName(RELEASE)
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("FLUXOPS_GPU_PRICE_RTX_4090");
              assertThat(env.getValue()).isEqualTo("0.34");
            });

    cluster.helm("uninstall", RELEASE, "--namespace", NAMESPACE, "--wait").runOrThrow();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      cluster.admin().apps().deployments().inNamespace(NAMESPACE).list().getItems())
                  .isEmpty();
              assertThat(
                      cluster
                          .admin()
                          .serviceAccounts()
                          .inNamespace(NAMESPACE)
                          .withName(RELEASE)
                          .get())
                  .isNull();
            });
    assertThat(
            cluster
                .admin()
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(Fixtures.CRD_NAME)
                .get())
        .as("Helm never deletes a CRD it installed: FluxDeployments outlive the chart")
        .isNotNull();
  }
}
