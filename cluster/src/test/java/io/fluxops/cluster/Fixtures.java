package io.fluxops.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Setting-up steps the cluster tests share. */
final class Fixtures {

  static final String CRD_NAME = "fluxdeployments.fluxops.io";
  static final String CRD_FILE = "crds/" + CRD_NAME + "-v1.yml";

  private Fixtures() {}

  /** {@code kubectl apply -n namespace -f examples/<example>}, as a user would. */
  static void applyExample(KwokCluster cluster, String namespace, String example) {
    cluster
        .kubectl(
            "apply",
            "-n",
            namespace,
            "-f",
            RealCluster.REPO_ROOT.resolve("examples").resolve(example).toString())
        .runOrThrow();
  }

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

  /** The manifests in examples/, examples/model-cache/ and examples/servers/, sorted. */
  static Stream<Path> exampleFiles() throws IOException {
    List<Path> all = new ArrayList<>();
    for (String dir : List.of("examples", "examples/model-cache", "examples/servers")) {
      try (Stream<Path> files = Files.list(RealCluster.REPO_ROOT.resolve(dir))) {
        files.filter(f -> f.toString().endsWith(".yaml")).forEach(all::add);
      }
    }
    return all.stream().sorted();
  }

  /** A loopback port that was free a moment ago (bound once, then closed). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
