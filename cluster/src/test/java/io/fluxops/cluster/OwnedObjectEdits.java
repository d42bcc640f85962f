package io.fluxops.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fluxops.operator.config.OperatorOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the operator does on the real API server with or without server-side apply: its writes to
 * create five FluxDeployments, what happens when a person edits an owned Deployment with kubectl (a
 * label, a rollout restart: kept; the image and the replicas, which the operator owns: restored),
 * and its writes at idle. Run by {@link OwnedObjectEditsClusterIT} in the production configuration
 * and by {@link ServerSideApplyBenchmark} in both.
 */
final class OwnedObjectEdits {

  static final String IMAGE_AND_REPLICAS =
      "image and replicas someone changed (owned by the operator)";
  static final String LABEL = "a label someone added (kubectl label)";
  static final String RESTART = "kubectl rollout restart";
  static final String IDLE_WRITES = "operator writes in 30 s of idle";

  private static final int FLUX_DEPLOYMENTS = 5;
  private static final Duration SETTLE = Duration.ofSeconds(120);
  private static final Duration WATCH = Duration.ofSeconds(15);

  /**
   * How long the operator must have written nothing before a step counts its writes: it reacts to
   * an event within a second (a retry after a failed write comes 1, 2, then 4 s later, and each
   * failed write is in the audit log too).
   */
  private static final Duration QUIET = Duration.ofSeconds(5);

  /** The idle window, from the operator's last write after the restore. */
  private static final Duration IDLE = Duration.ofSeconds(30);

  private OwnedObjectEdits() {}

  /** Measures one mode in a namespace of its own; the rows in the order they were measured. */
  static Map<String, String> measure(KwokCluster cluster, boolean serverSideApply)
      throws Exception {
    Deployment chart = ChartRelease.ensureInstalled(cluster);
    String namespace = "ssa-" + serverSideApply;
    Fixtures.createNamespace(cluster, namespace);
    Map<String, String> result = new LinkedHashMap<>();
    if (serverSideApply) {
      grantPatch(cluster);
    }
    try (OperatorProcess operator =
        OperatorProcess.start(
            cluster,
            chart,
            ChartRelease.kubeconfig(cluster, namespace),
            namespace,
            Map.of(OperatorOptions.SERVER_SIDE_APPLY.env(), String.valueOf(serverSideApply)))) {
      Instant start = Instant.now();
      StringBuilder manifests = new StringBuilder();
      for (int i = 0; i < FLUX_DEPLOYMENTS; i++) {
        manifests.append(
            """
            ---
            apiVersion: fluxops.io/v1alpha1
            kind: FluxDeployment
            metadata: {name: fxd-%d}
            spec:
              model: flux-1-schnell
              gpu: {type: rtx-4090}
              replicas: 1
              server: {image: example.com/flux-server:1.0}
            """
                .formatted(i));
      }
      cluster.kubectl("apply", "-n", namespace, "-f", "-").stdin(manifests.toString()).runOrThrow();
      await()
          .atMost(SETTLE)
          .until(
              () -> {
                for (int i = 0; i < FLUX_DEPLOYMENTS; i++) {
                  if (!FluxDeployments.conditionIs(
                      cluster.admin(), namespace, "fxd-" + i, "Ready", "True")) {
                    return false;
                  }
                }
                return true;
              });
      settled(cluster, namespace, start);
      result.put(
          "operator writes to create " + FLUX_DEPLOYMENTS + " and see them Ready",
          String.valueOf(writes(cluster, namespace, start).size()));

      Deployment before = deployment(cluster, namespace, "fxd-0");
      long generation = before.getMetadata().getGeneration();
      cluster.kubectl("label", "deployment", "fxd-0", "-n", namespace, "team=ml").runOrThrow();
      cluster.kubectl("rollout", "restart", "deployment/fxd-0", "-n", namespace).runOrThrow();
      Instant edited = Instant.now();
      // Kept once the rollout the restart began is done and the operator, which saw each step of
      // it, has written nothing for a while.
      settled(cluster, namespace, edited);
      Deployment after = deployment(cluster, namespace, "fxd-0");
      boolean labelKept = "ml".equals(after.getMetadata().getLabels().get("team"));
      boolean restartKept =
          after.getSpec().getTemplate().getMetadata().getAnnotations() != null
              && after
                  .getSpec()
                  .getTemplate()
                  .getMetadata()
                  .getAnnotations()
                  .containsKey("kubectl.kubernetes.io/restartedAt");
      result.put("a label someone added (kubectl label)", labelKept ? "kept" : "removed");
      result.put("kubectl rollout restart", restartKept ? "kept" : "undone");
      result.put(
          "operator writes after those two edits",
          String.valueOf(writes(cluster, namespace, edited).size()));
      result.put(
          "Deployment generations those edits cost",
          String.valueOf(after.getMetadata().getGeneration() - generation));

      cluster
          .kubectl(
              "set", "image", "deployment/fxd-0", "-n", namespace, "inference=example.com/other:2")
          .runOrThrow();
      cluster.kubectl("scale", "deployment/fxd-0", "-n", namespace, "--replicas=3").runOrThrow();
      boolean restored =
          awaitQuietly(
              () -> {
                Deployment d = deployment(cluster, namespace, "fxd-0");
                return d.getSpec().getReplicas() == 1
                    && d.getSpec().getTemplate().getSpec().getContainers().stream()
                        .anyMatch(c -> c.getImage().equals("example.com/flux-server:1.0"));
              });
      result.put(
          "image and replicas someone changed (owned by the operator)",
          restored ? "restored" : "left changed");

      Instant idle = settled(cluster, namespace, edited);
      Instant end = idle.plus(IDLE);
      awaitQuietly(
          () -> Instant.now().isAfter(end) || !writes(cluster, namespace, idle, end).isEmpty(),
          Duration.between(Instant.now(), end).plusSeconds(5));
      result.put(
          "operator writes in 30 s of idle",
          String.valueOf(writes(cluster, namespace, idle, end).size()));
    } finally {
      Fixtures.deleteFluxDeployments(cluster, namespace);
    }
    return result;
  }

  /**
   * Server-side apply writes with PATCH, which the chart grants only on what the production
   * configuration patches (FluxDeployment status): for the comparison, the owned kinds too.
   */
  private static void grantPatch(KwokCluster cluster) {
    cluster
        .kubectl("apply", "-f", "-")
        .stdin(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: fluxops-server-side-apply}
            rules:
            - apiGroups: ["apps"]
              resources: ["deployments"]
              verbs: ["patch"]
            - apiGroups: [""]
              resources: ["services", "serviceaccounts"]
              verbs: ["patch"]
            - apiGroups: ["policy"]
              resources: ["poddisruptionbudgets"]
              verbs: ["patch"]
            - apiGroups: ["fluxops.io"]
              resources: ["fluxdeployments", "fluxdeployments/status"]
              verbs: ["patch"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: fluxops-server-side-apply}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: fluxops-server-side-apply}
            subjects:
            - {kind: ServiceAccount, name: fluxops, namespace: fluxops-system}
            """)
        .runOrThrow();
  }

  /** The production configuration: whether the operator uses server-side apply by default. */
  static boolean productionDefault() {
    return Boolean.parseBoolean(OperatorOptions.SERVER_SIDE_APPLY.defaultValue());
  }

  /**
   * Waits until fxd-0 has rolled out and the operator has written nothing in the namespace for
   * {@link #QUIET}, and returns the moment of its last write since {@code since}. When it goes on
   * writing, the moment it was given up on: the rows after it then count those writes.
   */
  private static Instant settled(KwokCluster cluster, String namespace, Instant since) {
    awaitQuietly(() -> rolledOut(deployment(cluster, namespace, "fxd-0")), SETTLE);
    try {
      return ApiServerWrites.awaitQuiet(
          cluster,
          w ->
              w.user().equals(ChartRelease.SERVICE_ACCOUNT)
                  && w.namespace().equals(namespace)
                  && ApiServerWrites.OPERATOR_RESOURCES.contains(w.resource()),
          since,
          QUIET,
          SETTLE);
    } catch (ConditionTimeoutException e) {
      return Instant.now();
    }
  }

  /** Every replica is of the latest template and available, and no older one is left. */
  private static boolean rolledOut(Deployment d) {
    var status = d.getStatus();
    int wanted = d.getSpec().getReplicas();
    return status != null
        && status.getObservedGeneration() != null
        && status.getObservedGeneration() >= d.getMetadata().getGeneration()
        && Objects.equals(status.getUpdatedReplicas(), wanted)
        && Objects.equals(status.getAvailableReplicas(), wanted)
        && Objects.equals(status.getReplicas(), wanted);
  }

  private static boolean awaitQuietly(Callable<Boolean> condition) {
    return awaitQuietly(condition, WATCH);
  }

  private static boolean awaitQuietly(Callable<Boolean> condition, Duration atMost) {
    try {
      await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** The operator's writes in the namespace after {@code after} and up to {@code end}. */
  private static List<ApiServerWrites.Audited> writes(
      KwokCluster cluster, String namespace, Instant after, Instant end) {
    return writes(cluster, namespace, after.plusNanos(1)).stream()
        .filter(w -> !w.at().isAfter(end))
        .toList();
  }

  private static List<ApiServerWrites.Audited> writes(
      KwokCluster cluster, String namespace, Instant since) {
    return ApiServerWrites.auditedSince(cluster, ChartRelease.SERVICE_ACCOUNT, since).stream()
        .filter(w -> w.namespace().equals(namespace))
        .filter(w -> ApiServerWrites.OPERATOR_RESOURCES.contains(w.resource()))
        .toList();
  }

  private static Deployment deployment(KwokCluster cluster, String namespace, String name) {
    return cluster.admin().apps().deployments().inNamespace(namespace).withName(name).get();
  }
}
