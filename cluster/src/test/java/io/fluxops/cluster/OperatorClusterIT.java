package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator jar, as the chart's ServiceAccount, against the real API server, controllers and
 * scheduler: what it makes turns into ReplicaSets and pods placed on the right GPU nodes.
 */
@ExtendWith(RealCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorClusterIT {

  private static final String NAMESPACE = "operator-it";
  private static final Duration SETTLE = Duration.ofSeconds(90);

  private static OperatorProcess operator;

  @BeforeAll
  static void startOperator(KwokCluster cluster) {
    Deployment chart = ChartRelease.ensureInstalled(cluster);
    Fixtures.createNamespace(cluster, NAMESPACE);
    Path examples = RealCluster.REPO_ROOT.resolve("examples");
    cluster
        .kubectl("apply", "-f", examples.resolve("nvidia/runtimeclass.yaml").toString())
        .runOrThrow();
    Fixtures.applyExample(cluster, NAMESPACE, "license-secret.yaml");
    for (String claim : List.of("trt-engines", "flux-weights")) {
      createBoundClaim(cluster, claim);
    }
    operator =
        OperatorProcess.start(
            cluster,
            chart,
            ChartRelease.kubeconfig(cluster, "operator-it"),
            "operator-it",
            Map.of());
  }

  @AfterAll
  static void stopOperator(KwokCluster cluster) throws InterruptedException {
    if (operator != null) {
      operator.close();
    }
    Fixtures.deleteFluxDeployments(cluster, NAMESPACE);
  }

  @Test
  @Order(1)
  void reconcilesEveryExampleIntoPodsOnNodesOfItsGpuType(KwokCluster cluster) {
    for (String example :
        List.of(
            "flux-1-dev-rtx-4090.yaml",
            "flux-1-kontext-dev-blackwell.yaml",
            "flux-tools-rtx-4090.yaml")) {
      Fixtures.applyExample(cluster, NAMESPACE, example);
    }
    Map<String, String> nodePrefixes =
        Map.of("dev-4090", "rtx4090-", "kontext-blackwell", "rtx5090-", "tools-4090", "rtx4090-");
    Map<String, Integer> replicas = Map.of("dev-4090", 1, "kontext-blackwell", 2, "tools-4090", 1);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              for (var entry : nodePrefixes.entrySet()) {
                String name = entry.getKey();
                List<Pod> pods = FluxDeployments.pods(cluster.admin(), NAMESPACE, name);
                assertThat(pods)
                    .as(name + "'s pods")
                    .hasSize(replicas.get(name))
                    .allMatch(FluxDeployments::runningAndReady);
                assertThat(pods)
                    .extracting(p -> p.getSpec().getNodeName())
                    .as(name + "'s nodes")
                    .allMatch(node -> node.startsWith(entry.getValue()));
                assertThat(
                        FluxDeployments.conditionIs(
                            cluster.admin(), NAMESPACE, name, "Ready", "True"))
                    .as(
                        name
                            + " Ready: "
                            + FluxDeployments.condition(cluster.admin(), NAMESPACE, name, "Ready"))
                    .isTrue();
              }
            });
    ReplicaSet replicaSet =
        cluster
            .admin()
            .apps()
            .replicaSets()
            .inNamespace(NAMESPACE)
            .withLabel("app.kubernetes.io/instance", "dev-4090")
            .list()
            .getItems()
            .get(0);
    assertThat(replicaSet.getMetadata().getOwnerReferences())
        .as("the Deployment controller made the ReplicaSet")
        .anySatisfy(o -> assertThat(o.getKind()).isEqualTo("Deployment"));
    Captured.write(
        "kubectl-get-fxd",
        "kubectl get fxd",
        cluster.kubectl("get", "fxd", "-n", NAMESPACE).runOrThrow());
  }

  @Test
  @Order(2)
  void onlyTheMeteringSidecarMountsTheLicenceSecret(KwokCluster cluster) {
    Pod pod = FluxDeployments.pods(cluster.admin(), NAMESPACE, "kontext-blackwell").get(0);
    List<String> secretVolumes =
        pod.getSpec().getVolumes().stream()
            .filter(
                v -> v.getSecret() != null && "bfl-license".equals(v.getSecret().getSecretName()))
            .map(io.fabric8.kubernetes.api.model.Volume::getName)
            .toList();
    assertThat(secretVolumes).as("the pod's volumes from the licence Secret").hasSize(1);
    var containers = new java.util.ArrayList<io.fabric8.kubernetes.api.model.Container>();
    containers.addAll(pod.getSpec().getInitContainers());
    containers.addAll(pod.getSpec().getContainers());
    assertThat(containers)
        .filteredOn(
            c ->
                c.getVolumeMounts().stream().anyMatch(m -> secretVolumes.contains(m.getName()))
                    || (c.getEnv() != null
                        && c.getEnv().stream()
                            .anyMatch(
                                e ->
                                    e.getValueFrom() != null
                                        && e.getValueFrom().getSecretKeyRef() != null)))
        .extracting(io.fabric8.kubernetes.api.model.Container::getName)
        .as("containers that can read the licence key")
        .containsExactly("metering");
  }

  @Test
  @Order(2)
  void withNoRoomGpuAvailableIsFalseWithTheSchedulersMessage(KwokCluster cluster) {
    // Eight GPUs per replica: no RTX 4090 node has more than two.
    cluster
        .kubectl("apply", "-n", NAMESPACE, "-f", "-")
        .stdin(
            """
            apiVersion: fluxops.io/v1alpha1
            kind: FluxDeployment
            metadata: {name: too-big}
            spec:
              model: flux-2-dev
              gpu: {type: rtx-4090, count: 8}
              replicas: 1
              license: {secretRef: {name: bfl-license}}
              server: {image: example.com/flux-server:1.0}
            """)
        .runOrThrow();
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              var written =
                  FluxDeployments.condition(cluster.admin(), NAMESPACE, "too-big", "GPUAvailable");
              assertThat(written).as("GPUAvailable written").isPresent();
              Condition gpu = written.get();
              assertThat(gpu.getStatus()).isEqualTo("False");
              assertThat(gpu.getReason()).isEqualTo("InsufficientGPU");
              assertThat(gpu.getMessage())
                  .as("the kube-scheduler's own words")
                  .contains("nodes are available")
                  .contains("Insufficient nvidia.com/gpu");
            });
    Captured.write(
        "kubectl-get-fxd-too-big-gpu",
        "kubectl get fxd too-big -o jsonpath='{.status.conditions[?(@.type==\"GPUAvailable\")].message}'",
        FluxDeployments.condition(cluster.admin(), NAMESPACE, "too-big", "GPUAvailable")
            .orElseThrow()
            .getMessage());
    cluster.kubectl("delete", "fxd", "too-big", "-n", NAMESPACE).runOrThrow();
  }

  @Test
  @Order(3)
  void kubectlScaleGoesThroughTheScaleSubresourceToTheDeployment(KwokCluster cluster) {
    String scaled =
        cluster.kubectl("scale", "fxd", "tools-4090", "-n", NAMESPACE, "--replicas=3").runOrThrow();
    assertThat(scaled).contains("fluxdeployment.fluxops.io/tools-4090 scaled");
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              assertThat(deployment(cluster, "tools-4090").getSpec().getReplicas()).isEqualTo(3);
              assertThat(FluxDeployments.pods(cluster.admin(), NAMESPACE, "tools-4090"))
                  .hasSize(3)
                  .allMatch(FluxDeployments::runningAndReady);
              assertThat(
                      FluxDeployments.get(cluster.admin(), NAMESPACE, "tools-4090")
                          .getStatus()
                          .getReadyReplicas())
                  .isEqualTo(3);
            });
    String scale =
        cluster
            .kubectl(
                "get",
                "--raw",
                "/apis/fluxops.io/v1alpha1/namespaces/"
                    + NAMESPACE
                    + "/fluxdeployments/tools-4090/scale")
            .runOrThrow();
    assertThat(scale).contains("\"replicas\":3").contains("app.kubernetes.io/instance=tools-4090");
  }

  @Test
  @Order(4)
  void aSpecChangeRollsTheDeploymentToNewPods(KwokCluster cluster) {
    cluster
        .kubectl(
            "patch",
            "fxd",
            "kontext-blackwell",
            "-n",
            NAMESPACE,
            "--type=merge",
            "-p",
            "{\"spec\":{\"server\":{\"image\":\"example.com/flux-server:1.1\"}}}")
        .runOrThrow();
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              List<Pod> pods =
                  FluxDeployments.pods(cluster.admin(), NAMESPACE, "kontext-blackwell");
              assertThat(pods).hasSize(2).allMatch(FluxDeployments::runningAndReady);
              assertThat(pods)
                  .allSatisfy(
                      p ->
                          assertThat(
                                  p.getSpec().getContainers().stream()
                                      .filter(c -> c.getName().equals("inference"))
                                      .findFirst()
                                      .orElseThrow()
                                      .getImage())
                              .isEqualTo("example.com/flux-server:1.1"));
              assertThat(
                      cluster
                          .admin()
                          .apps()
                          .replicaSets()
                          .inNamespace(NAMESPACE)
                          .withLabel("app.kubernetes.io/instance", "kontext-blackwell")
                          .list()
                          .getItems())
                  .as("the old ReplicaSet, scaled to zero, and the new one")
                  .hasSize(2);
            });
  }

  @Test
  @Order(4)
  void aServerCountedByProxyGetsANetworkPolicyForItsSidecarsPortsOnly(KwokCluster cluster) {
    Fixtures.applyExample(cluster, NAMESPACE, "servers/flux-1-dev-openai.yaml");
    var policies = cluster.admin().network().v1().networkPolicies().inNamespace(NAMESPACE);
    NetworkPolicy policy =
        await().atMost(SETTLE).until(() -> policies.withName("dev-openai").get(), p -> p != null);
    assertThat(policy.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("dev-openai"));
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule ->
                assertThat(rule.getPorts())
                    .extracting(p -> p.getPort().getStrVal())
                    .containsExactly("http", "metering"));
    // The names the policy admits are the sidecar's container ports; the server's own port is not
    // among them. (The policy can be there before the Deployment: they are applied one by one.)
    var template =
        await()
            .atMost(SETTLE)
            .until(() -> deployment(cluster, "dev-openai"), d -> d != null)
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(
            java.util.stream.Stream.concat(
                    template.getInitContainers().stream(), template.getContainers().stream())
                .flatMap(c -> c.getPorts().stream())
                .filter(
                    p -> p.getName() != null && List.of("http", "metering").contains(p.getName()))
                .map(p -> p.getContainerPort()))
        .containsExactlyInAnyOrder(8000, 9469)
        .doesNotContain(9472);
    cluster.kubectl("delete", "fxd", "dev-openai", "-n", NAMESPACE, "--wait=true").runOrThrow();
    await().atMost(SETTLE).until(() -> policies.withName("dev-openai").get() == null);
  }

  @Test
  @Order(5)
  void deletingAFluxDeploymentLetsTheGarbageCollectorRemoveWhatItOwned(KwokCluster cluster) {
    assertThat(deployment(cluster, "dev-4090")).isNotNull();
    cluster.kubectl("delete", "fxd", "dev-4090", "-n", NAMESPACE, "--wait=true").runOrThrow();
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              var client = cluster.admin();
              assertThat(
                      client.apps().deployments().inNamespace(NAMESPACE).withName("dev-4090").get())
                  .isNull();
              assertThat(client.services().inNamespace(NAMESPACE).withName("dev-4090").get())
                  .isNull();
              assertThat(
                      client
                          .policy()
                          .v1()
                          .podDisruptionBudget()
                          .inNamespace(NAMESPACE)
                          .withName("dev-4090")
                          .get())
                  .isNull();
              assertThat(client.serviceAccounts().inNamespace(NAMESPACE).withName("dev-4090").get())
                  .isNull();
              assertThat(FluxDeployments.pods(client, NAMESPACE, "dev-4090")).isEmpty();
            });
  }

  @Test
  @Order(6)
  void theOperatorsAccountCannotReadSecretsAndWasNeverRefused(KwokCluster cluster) {
    Command.Result canI =
        cluster
            .kubectl(
                "auth", "can-i", "get", "secrets", "-A", "--as=" + ChartRelease.SERVICE_ACCOUNT)
            .run();
    assertThat(canI.stdout().strip()).isEqualTo("no");
    assertThat(canI.exitCode()).isEqualTo(1);
    Captured.write(
        "kubectl-auth-can-i-secrets",
        "kubectl auth can-i get secrets -A --as=" + ChartRelease.SERVICE_ACCOUNT,
        canI.stdout());
    assertThat(operator.log())
        .as("every call the operator made was allowed by the chart's RBAC")
        // The status code as a word: the log also holds port numbers such as 40311.
        .doesNotContainPattern("\\b403\\b")
        .doesNotContainIgnoringCase("forbidden");
  }

  private static Deployment deployment(KwokCluster cluster, String name) {
    return cluster.admin().apps().deployments().inNamespace(NAMESPACE).withName(name).get();
  }

  /**
   * A claim the examples name, bound to a volume made for it (there is no storage provisioner): the
   * PersistentVolume controller binds them, as it would in a cluster.
   */
  private static void createBoundClaim(KwokCluster cluster, String name) {
    cluster
        .admin()
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(NAMESPACE + "-" + name)
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity("100Gi")))
                .withAccessModes("ReadWriteMany")
                .withStorageClassName("")
                .withNewHostPath()
                .withPath("/tmp/" + name)
                .endHostPath()
                .withNewClaimRef()
                .withNamespace(NAMESPACE)
                .withName(name)
                .endClaimRef()
                .endSpec()
                .build())
        .createOr(existing -> existing.update());
    cluster
        .admin()
        .persistentVolumeClaims()
        .inNamespace(NAMESPACE)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteMany")
                .withStorageClassName("")
                .withVolumeName(NAMESPACE + "-" + name)
                .withNewResources()
                .addToRequests("storage", new Quantity("100Gi"))
                .endResources()
                .endSpec()
                .build())
        .createOr(existing -> existing.update());
  }
}
