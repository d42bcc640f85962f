package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The model cache example on the real control plane: the API server takes the operator's loader Job
 * (restricted pod, pod failure policy), the real Job controller runs its pod on a claim the real
 * PersistentVolume controller bound, only that pod mounts the Hugging Face token, and the inference
 * Deployment stays at zero replicas all along. KWOK plays the kubelet and ends the loader's pod as
 * "Completed" without running the loader, so without the termination message in which the loader
 * names the commit it verified: the operator must not take that for a complete revision, and says
 * so in ModelCached, still with no GPU pod. (The loader's own run against a stand-in Hub, through
 * the mock API server, is ModelCacheTest in the operator module.)
 */
@ExtendWith(RealCluster.class)
class ModelCacheClusterIT {

  private static final String NAMESPACE = "model-cache-it";
  private static final String FXD = "dev-cached";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void theLoaderJobRunsAloneWithTheTokenAndNoGpuPodStartsBeforeAVerifiedRevision(
      KwokCluster cluster) throws Exception {
    Deployment chart = ChartRelease.ensureInstalled(cluster);
    Fixtures.createNamespace(cluster, NAMESPACE);
    KubernetesClient client = cluster.admin();
    Fixtures.applyExample(cluster, NAMESPACE, "license-secret.yaml");
    Fixtures.applyExample(cluster, NAMESPACE, "model-cache/hf-token-secret.yaml");
    // A claim the PersistentVolume controller binds to a volume made for it (KWOK runs no
    // container, so the volume is never written).
    cluster
        .kubectl("apply", "-f", "-")
        .stdin(
            """
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: model-cache-it-weights}
            spec:
              capacity: {storage: 40Gi}
              accessModes: [ReadWriteMany]
              storageClassName: ""
              claimRef: {namespace: model-cache-it, name: flux-weights}
              hostPath: {path: /var/lib/fluxops-model-cache-it}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: flux-weights, namespace: model-cache-it}
            spec:
              accessModes: [ReadWriteMany]
              storageClassName: ""
              volumeName: model-cache-it-weights
              resources: {requests: {storage: 40Gi}}
            """)
        .runOrThrow();
    try (OperatorProcess operator =
        OperatorProcess.start(
            cluster,
            chart,
            ChartRelease.kubeconfig(cluster, "model-cache-it"),
            "model-cache-it",
            Map.of())) {
      Fixtures.applyExample(cluster, NAMESPACE, "model-cache/flux-1-dev-from-hugging-face.yaml");

      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(loaderJobs(client)).hasSize(1);
                assertThat(loaderPods(client)).isNotEmpty();
              });
      Job job = loaderJobs(client).get(0);
      assertThat(job.getSpec().getPodFailurePolicy())
          .as("the Job's pod failure policy")
          .isNotNull();

      // Only the loader's pod reads the token Secret; the inference pods do not.
      for (Pod pod : loaderPods(client)) {
        assertThat(yaml(pod.getSpec())).contains("hf-token");
      }
      Deployment inference = deployment(client);
      assertThat(yaml(inference.getSpec().getTemplate())).doesNotContain("hf-token");

      // KWOK ends the pod without the loader's report; the Job controller marks the Job done.
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(FluxDeployments.condition(client, NAMESPACE, FXD, "ModelCached"))
                      .hasValueSatisfying(
                          c -> {
                            assertThat(c.getStatus()).isEqualTo("False");
                            assertThat(c.getReason()).isEqualTo("LoaderError");
                            assertThat(c.getMessage()).contains(job.getMetadata().getName());
                          }));
      assertThat(deployment(client).getSpec().getReplicas())
          .as("the inference Deployment, with no verified revision on the claim")
          .isZero();
      assertThat(FluxDeployments.pods(client, NAMESPACE, FXD)).as("GPU pods").isEmpty();
      assertThat(operator.log()).doesNotContain("Forbidden");
    } finally {
      Fixtures.deleteFluxDeployments(cluster, NAMESPACE);
      client.persistentVolumes().withName("model-cache-it-weights").delete();
    }
  }

  private static List<Job> loaderJobs(KubernetesClient client) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NAMESPACE)
        .withLabel("app.kubernetes.io/name", "flux-model-loader")
        .list()
        .getItems();
  }

  private static List<Pod> loaderPods(KubernetesClient client) {
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel("app.kubernetes.io/name", "flux-model-loader")
        .list()
        .getItems();
  }

  private static Deployment deployment(KubernetesClient client) {
    return client.apps().deployments().inNamespace(NAMESPACE).withName(FXD).get();
  }

  /** An object as YAML, to look for a name anywhere in it. */
  private static String yaml(Object object) {
    return SERIALIZATION.asYaml(object);
  }
}
