package io.fluxops.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Duration;

/** Setting-up steps the cluster tests share. */
final class Fixtures {

  static final String CRD_NAME = "fluxdeployments.fluxops.io";
  static final String CRD_FILE = "crds/" + CRD_NAME + "-v1.yml";

  private Fixtures() {}

  /** Applies the committed CRD as a user upgrading it would, and waits until it is served. */
  static void installCrd(KwokCluster cluster) {
    cluster
        .kubectl(
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            RealCluster.REPO_ROOT.resolve(CRD_FILE).toString())
        .runOrThrow();
    // Polled here rather than with `kubectl wait`, which fails at once while the new CRD has no
    // conditions yet.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var crd =
                  cluster
                      .admin()
                      .apiextensions()
                      .v1()
                      .customResourceDefinitions()
                      .withName(CRD_NAME)
                      .get();
              return crd != null
                  && crd.getStatus() != null
                  && crd.getStatus().getConditions() != null
                  && crd.getStatus().getConditions().stream()
                      .anyMatch(
                          c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            });
    cluster.forgetDiscovery();
  }

  /** Deletes a test class's FluxDeployments, so that their pods free the GPUs for the next. */
  static void deleteFluxDeployments(KwokCluster cluster, String namespace) {
    cluster.kubectl("delete", "fxd", "--all", "-n", namespace, "--wait=false").run();
  }

  /** Creates a namespace if it is not there and waits for its default ServiceAccount. */
  static void createNamespace(KwokCluster cluster, String name) {
    cluster
        .admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(existing -> existing.update());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                cluster.admin().serviceAccounts().inNamespace(name).withName("default").get()
                    != null);
  }
}
