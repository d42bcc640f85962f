package io.fluxops.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The chart installed as a platform team installs it ({@code helm upgrade --install}, default
 * values), for the tests that run the operator as its ServiceAccount. The operator pod the chart
 * creates is only scheduled and "run" by KWOK; the tests run the operator jar beside the cluster
 * with that pod's environment and account (see {@link OperatorProcess}).
 */
final class ChartRelease {

  static final String NAMESPACE = "fluxops-system";
  static final String RELEASE = "fluxops";
  static final String SERVICE_ACCOUNT = "system:serviceaccount:" + NAMESPACE + ":" + RELEASE;

  private ChartRelease() {}

  /** Installs or upgrades the release and returns the operator Deployment it made. */
  static Deployment ensureInstalled(KwokCluster cluster) {
    Fixtures.installCrd(cluster);
    cluster
        .helm(
            "upgrade",
            "--install",
            RELEASE,
            RealCluster.REPO_ROOT.resolve("charts/fluxops").toString(),
            "--namespace",
            NAMESPACE,
            "--create-namespace",
            "--wait",
            "--timeout",
            "2m")
        .timeout(Duration.ofMinutes(3))
        .runOrThrow();
    return cluster.admin().apps().deployments().inNamespace(NAMESPACE).withName(RELEASE).get();
  }

  /** A kubeconfig with a fresh token of the chart's ServiceAccount. */
  static Path kubeconfig(KwokCluster cluster, String name) {
    return ServiceAccountKubeconfig.write(
        cluster,
        NAMESPACE,
        RELEASE,
        RealCluster.REPO_ROOT.resolve("cluster/target/" + name + ".kubeconfig"));
  }
}
