package io.fluxops.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.ServerApi;
import io.fluxops.operator.api.SpecRules;
import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.testing.Examples;
import io.fluxops.operator.testing.FakeKubelet;
import io.fluxops.operator.testing.MockCluster;
import io.fluxops.operator.workload.PodLayout;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole operator, in its production configuration, against the Fabric8 mock API server. */
class FluxDeploymentReconcilerTest {

  private static final String NS = "flux";
  private static final Duration TIMEOUT = MockCluster.TIMEOUT;

  private MockCluster cluster;
  private NamespacedKubernetesClient client;
  private FakeKubelet kubelet;

  @BeforeEach
  void startCluster() {
    cluster = new MockCluster().startOperator();
    client = cluster.client();
    kubelet = new FakeKubelet(client);
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  @Test
  void createsOwnedAndLabelledWorkloadWithStatus() {
    FluxDeployment fd = apply("flux-1-dev-rtx-4090.yaml");

    Deployment deployment = awaitDeployment("dev-4090");
    List<HasMetadata> owned =
        List.of(
            deployment,
            client.services().inNamespace(NS).withName("dev-4090").get(),
            client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("dev-4090").get(),
            client.serviceAccounts().inNamespace(NS).withName("dev-4090").get());
    String uid = fluxDeployment("dev-4090").get().getMetadata().getUid();
    for (HasMetadata object : owned) {
      assertThat(object).as("owned object").isNotNull();
      assertThat(object.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              ref -> {
                assertThat(ref.getUid()).isEqualTo(uid);
                assertThat(ref.getKind()).isEqualTo("FluxDeployment");
              });
      assertThat(object.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/name", "flux-inference")
          .containsEntry("app.kubernetes.io/instance", "dev-4090")
          .containsEntry("app.kubernetes.io/managed-by", "fluxops")
          .containsEntry("fluxops.io/model", "flux-1-dev")
          .containsEntry("fluxops.io/gpu", "rtx-4090");
    }
    assertThat(deployment.getSpec().getTemplate().getSpec().getInitContainers())
        .extracting(c -> c.getName())
        .containsExactly(PodLayout.METERING_CONTAINER);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = cluster.status(NS, fd.getMetadata().getName());
              assertThat(status.getObservedGeneration()).isEqualTo(1L);
              assertThat(status.getSelector())
                  .isEqualTo(
                      "app.kubernetes.io/instance=dev-4090,app.kubernetes.io/name=flux-inference");
              assertThat(status.getDesiredReplicas()).isEqualTo(1);
              assertThat(condition("dev-4090", ConditionType.READY).getReason())
                  .isEqualTo("ReplicasNotReady");
            });
  }

  @Test
  void statusPatchesLeaveTheSpecAndMetadataAsTheUserWroteThem() {
    FluxDeployment written = apply("flux-1-dev-rtx-4090.yaml");
    awaitDeployment("dev-4090");
    kubelet.runReady(NS, "dev-4090");

    await()
        .atMost(TIMEOUT)
        .until(() -> "True".equals(condition("dev-4090", ConditionType.READY).getStatus()));

    FluxDeployment stored = fluxDeployment("dev-4090").get();
    var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    assertThat(serialization.asYaml(stored.getSpec()))
        .isEqualTo(serialization.asYaml(written.getSpec()));
    assertThat(stored.getMetadata().getLabels()).isEqualTo(written.getMetadata().getLabels());
    assertThat(stored.getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void becomesReadyWhenThePodsAreReady() {
    apply("flux-1-kontext-dev-blackwell.yaml");
    awaitDeployment("kontext-blackwell");

    kubelet.runReady(NS, "kontext-blackwell");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = cluster.status(NS, "kontext-blackwell");
              assertThat(status.getReady()).isEqualTo("2/2");
              assertThat(condition("kontext-blackwell", ConditionType.READY).getStatus())
                  .isEqualTo("True");
              assertThat(condition("kontext-blackwell", ConditionType.PROGRESSING).getReason())
                  .isEqualTo("RolloutComplete");
              assertThat(
                      condition("kontext-blackwell", ConditionType.LICENSE_CONFIGURED).getReason())
                  .isEqualTo("SecretMounted");
            });
  }

  @Test
  void specChangeRollsTheDeployment() {
    apply("flux-tools-rtx-4090.yaml");
    awaitDeployment("tools-4090");

    edit(
        "tools-4090",
        fd -> {
          fd.getSpec().getServer().setImage("example.com/flux-server:2.0");
          return fd;
        });

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        awaitDeployment("tools-4090")
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("example.com/flux-server:2.0"));
    await()
        .atMost(TIMEOUT)
        .until(
            () -> Long.valueOf(2).equals(cluster.status(NS, "tools-4090").getObservedGeneration()));
  }

  @Test
  void onlyAFluxDeploymentCountedByProxyGetsTheNetworkPolicyThatClosesItsServersOwnPort() {
    apply("servers/flux-1-dev-nim.yaml");
    apply("flux-1-dev-rtx-4090.yaml");
    awaitDeployment("dev-4090");

    NetworkPolicy policy =
        await().atMost(TIMEOUT).until(() -> networkPolicy("dev-nim").get(), p -> p != null);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(awaitDeployment("dev-nim").getSpec().getSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getFrom()).isNullOrEmpty();
              assertThat(rule.getPorts())
                  .extracting(p -> p.getPort().getStrVal())
                  .containsExactly(PodLayout.HTTP_PORT_NAME, PodLayout.METERING_PORT_NAME);
            });
    assertThat(policy.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getName()).isEqualTo("dev-nim"));
    assertThat(networkPolicy("dev-4090").get()).as("relay counting: nothing to close").isNull();

    // A server the sidecar no longer fronts needs no policy: the operator removes it.
    edit(
        "dev-nim",
        fd -> {
          fd.getSpec().getServer().setApi(ServerApi.CUSTOM.value());
          return fd;
        });
    await().atMost(TIMEOUT).until(() -> networkPolicy("dev-nim").get() == null);
  }

  private Resource<NetworkPolicy> networkPolicy(String name) {
    return client.network().v1().networkPolicies().inNamespace(NS).withName(name);
  }

  @Test
  void deletionLeavesChildrenToGarbageCollectionThroughOwnerReferences() {
    apply("flux-1-schnell.yaml");
    awaitDeployment("schnell");

    fluxDeployment("schnell").delete();

    await().atMost(TIMEOUT).until(() -> fluxDeployment("schnell").get() == null);
    // The mock server has no garbage collector; a real one deletes these through the
    // controller owner reference, so the operator must need no finalizer.
    var ref = awaitDeployment("schnell").getMetadata().getOwnerReferences().get(0);
    assertThat(ref.getController()).isTrue();
    var writes = cluster.dispatcher().writes();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(cluster.dispatcher().writes()).isEqualTo(writes));
  }

  @Test
  void pausedDeploymentIsLeftAloneUntilResumed() {
    apply("flux-tools-rtx-4090.yaml");
    awaitDeployment("tools-4090");

    edit(
        "tools-4090",
        fd -> {
          fd.getSpec().setPaused(true);
          fd.getSpec().getServer().setImage("example.com/flux-server:2.0");
          return fd;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(condition("tools-4090", ConditionType.PROGRESSING).getReason())
                    .isEqualTo("Paused"));
    assertThat(image("tools-4090")).isEqualTo("example.com/flux-server:1.0");

    edit(
        "tools-4090",
        fd -> {
          fd.getSpec().setPaused(false);
          return fd;
        });
    await().atMost(TIMEOUT).until(() -> image("tools-4090").equals("example.com/flux-server:2.0"));
  }

  @Test
  void replicasAndScaleSubresourceSizeTheDeployment() {
    apply("flux-1-kontext-dev-blackwell.yaml");
    await()
        .atMost(TIMEOUT)
        .until(() -> awaitDeployment("kontext-blackwell").getSpec().getReplicas() == 2);

    // What `kubectl scale fxd kontext-blackwell --replicas=5` does through /scale.
    edit(
        "kontext-blackwell",
        fd -> {
          fd.getSpec().setReplicas(5);
          return fd;
        });

    await()
        .atMost(TIMEOUT)
        .until(() -> awaitDeployment("kontext-blackwell").getSpec().getReplicas() == 5);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Integer.valueOf(5)
                    .equals(cluster.status(NS, "kontext-blackwell").getDesiredReplicas()));
  }

  @Test
  void invalidSpecIsReportedOnceWithoutRetries() {
    FluxDeployment fd = Examples.load("flux-1-dev-rtx-4090.yaml", NS);
    fd.getSpec().getTensorRT().setMode("fp4");
    client.resource(fd).create();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Condition ready = condition("dev-4090", ConditionType.READY);
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage()).isEqualTo(SpecRules.FP4_NEEDS_BLACKWELL_MESSAGE);
            });
    assertThat(client.apps().deployments().inNamespace(NS).withName("dev-4090").get()).isNull();
    int writes = cluster.dispatcher().writeCount();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(() -> cluster.dispatcher().writeCount() == writes);

    edit(
        "dev-4090",
        bad -> {
          bad.getSpec().getTensorRT().setMode("fp8");
          return bad;
        });
    awaitDeployment("dev-4090");
  }

  @Test
  void podsPendingForLackOfGpusMakeGpuAvailableFalseWithTheSchedulersMessage() {
    apply("flux-tools-rtx-4090.yaml");
    awaitDeployment("tools-4090");
    String message = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.";

    kubelet.runUnschedulable(NS, "tools-4090", message);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Condition gpu = condition("tools-4090", ConditionType.GPU_AVAILABLE);
              assertThat(gpu.getStatus()).isEqualTo("False");
              assertThat(gpu.getReason()).isEqualTo("InsufficientGPU");
              assertThat(gpu.getMessage()).isEqualTo(message);
              assertThat(condition("tools-4090", ConditionType.READY).getReason())
                  .isEqualTo("GPUUnavailable");
            });
  }

  @Test
  void missingLicenseSecretMakesLicenseConfiguredFalse() {
    apply("flux-tools-rtx-4090.yaml");
    awaitDeployment("tools-4090");

    kubelet.runWithMissingLicenseSecret(NS, "tools-4090", "bfl-license");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Condition license = condition("tools-4090", ConditionType.LICENSE_CONFIGURED);
              assertThat(license.getStatus()).isEqualTo("False");
              assertThat(license.getReason()).isEqualTo("SecretNotFound");
              assertThat(license.getMessage())
                  .contains("create Secret bfl-license with key api-key")
                  .contains("secret \"bfl-license\" not found");
            });
  }

  @Test
  void missingKeyInLicenseSecretMakesLicenseConfiguredFalse() {
    apply("flux-tools-rtx-4090.yaml");
    awaitDeployment("tools-4090");

    kubelet.runWithConfigError(
        NS, "tools-4090", "couldn't find key api-key in Secret flux/bfl-license");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(condition("tools-4090", ConditionType.LICENSE_CONFIGURED).getMessage())
                    .contains("couldn't find key api-key in Secret flux/bfl-license"));
  }

  @Test
  void reconcileWithNothingToChangeWritesNothing() {
    apply("flux-1-kontext-dev-blackwell.yaml");
    awaitDeployment("kontext-blackwell");
    kubelet.runReady(NS, "kontext-blackwell");
    await()
        .atMost(TIMEOUT)
        .until(
            () -> "True".equals(condition("kontext-blackwell", ConditionType.READY).getStatus()));
    String transition = condition("kontext-blackwell", ConditionType.READY).getLastTransitionTime();

    // A restarted operator reconciles everything again; nothing has changed, so nothing is written.
    cluster.stopOperator();
    var writes = cluster.dispatcher().writes();
    cluster.startOperator();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .untilAsserted(() -> assertThat(cluster.dispatcher().writes()).isEqualTo(writes));
    assertThat(condition("kontext-blackwell", ConditionType.READY).getLastTransitionTime())
        .isEqualTo(transition);
  }

  private FluxDeployment apply(String example) {
    return cluster.apply(example, NS);
  }

  private Resource<FluxDeployment> fluxDeployment(String name) {
    return cluster.fluxDeployment(NS, name);
  }

  private void edit(String name, UnaryOperator<FluxDeployment> change) {
    fluxDeployment(name).edit(change);
  }

  private Deployment awaitDeployment(String name) {
    return cluster.awaitDeployment(NS, name);
  }

  private String image(String name) {
    return awaitDeployment(name)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  private Condition condition(String name, ConditionType type) {
    return cluster.condition(NS, name, type);
  }
}
