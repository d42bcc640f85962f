package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Zero writes at idle on a real API server, which defaults and normalises what it stores (the
 * classic cause of an operator that updates forever): the API server's own request counter and its
 * audit log both show no create, update or patch from the operator for a minute. Among the settled
 * FluxDeployments is one that is not idle for the operator: autoscaled on a Redis queue that cannot
 * be reached, it is reconciled every second, and those reconciles must write nothing either (each
 * one updated its Deployment and patched its status before the operator matched stored objects as
 * the API server keeps them: see StoredObjectMatcher).
 */
@ExtendWith(RealCluster.class)
class IdleWritesClusterIT {

  private static final String NAMESPACE = "idle-it";
  private static final int FLUX_DEPLOYMENTS = 20;
  private static final Duration IDLE = Duration.ofSeconds(60);

  /**
   * How long nothing may have been written before the idle window starts. The bugs this test caught
   * wrote far more often: the unreadable queue's FluxDeployment updated its Deployment every
   * second, server-side apply re-applied each object about every 12 s.
   */
  private static final Duration SETTLED = Duration.ofSeconds(5);

  private static OperatorProcess operator;

  @BeforeAll
  static void startOperator(KwokCluster cluster) {
    Deployment chart = ChartRelease.ensureInstalled(cluster);
    Fixtures.createNamespace(cluster, NAMESPACE);
    Fixtures.applyExample(cluster, NAMESPACE, "license-secret.yaml");
    operator =
        OperatorProcess.start(
            cluster, chart, ChartRelease.kubeconfig(cluster, "idle-it"), "idle-it", Map.of());
  }

  @AfterAll
  static void stopOperator(KwokCluster cluster) throws InterruptedException {
    if (operator != null) {
      operator.close();
    }
    Fixtures.deleteFluxDeployments(cluster, NAMESPACE);
  }

  @Test
  void twentySettledFluxDeploymentsCostNoWritesForAMinute(KwokCluster cluster) throws IOException {
    StringBuilder manifests = new StringBuilder();
    for (int i = 0; i < FLUX_DEPLOYMENTS; i++) {
      // Half licensed (with a metering sidecar whose /status the operator polls), half schnell.
      boolean licensed = i % 2 == 0;
      manifests.append(
          """
          ---
          apiVersion: fluxops.io/v1alpha1
          kind: FluxDeployment
          metadata: {name: idle-%d}
          spec:
            model: %s
            gpu: {type: %s}
            replicas: 1
            server: {image: example.com/flux-server:1.0}
          """
              .formatted(
                  i,
                  licensed ? "flux-1-dev" : "flux-1-schnell",
                  i % 4 < 2 ? "rtx-4090" : "blackwell"));
      if (licensed) {
        manifests.append("  license: {secretRef: {name: bfl-license}}\n");
      }
    }
    manifests.append("---\n").append(unreadableQueue());
    Instant applied = Instant.now();
    cluster.kubectl("apply", "-n", NAMESPACE, "-f", "-").stdin(manifests.toString()).runOrThrow();
    await()
        .atMost(Duration.ofMinutes(3))
        .untilAsserted(
            () -> {
              for (int i = 0; i < FLUX_DEPLOYMENTS; i++) {
                assertThat(
                        FluxDeployments.conditionIs(
                            cluster.admin(), NAMESPACE, "idle-" + i, "Ready", "True"))
                    .as("idle-" + i + " Ready")
                    .isTrue();
              }
            });
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () ->
                assertThat(
                        FluxDeployments.condition(
                            cluster.admin(), NAMESPACE, "schnell", "Autoscaling"))
                    .as("the Autoscaling condition of schnell, whose queue cannot be read")
                    .hasValueSatisfying(
                        c -> assertThat(c.getReason()).isEqualTo("QueueUnreadable")));
    assertThat(operatorWrites(cluster, applied))
        .as("the operator's writes in the audit log (the test must see them to count them)")
        .hasSizeGreaterThan(FLUX_DEPLOYMENTS);
    // Settled: nothing (the operator, the controllers) has written the kinds the operator writes
    // for a few seconds. The audit log is checked from that last write on, so the window includes
    // the quiet; the API server's counter, which cannot be read back in time, from its end.
    Instant lastWrite =
        ApiServerWrites.awaitQuiet(
            cluster,
            w -> ApiServerWrites.OPERATOR_RESOURCES.contains(w.resource()),
            applied,
            SETTLED,
            Duration.ofMinutes(3));
    Instant start = Instant.now();
    long countedBefore = ApiServerWrites.counted(cluster);
    await()
        .during(IDLE)
        .atMost(IDLE.plusSeconds(10))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> operatorWrites(cluster, lastWrite.plusNanos(1)).isEmpty());
    long countedAfter = ApiServerWrites.counted(cluster);

    List<ApiServerWrites.Audited> writes = operatorWrites(cluster, lastWrite.plusNanos(1));
    assertThat(writes)
        .as(
            () ->
                "the operator's writes in the audit log; the first sent "
                    + (writes.isEmpty() ? "nothing" : writes.get(0).requestObject()))
        .isEmpty();
    assertThat(
            ApiServerWrites.requestsSince(cluster, ChartRelease.SERVICE_ACCOUNT, start).stream()
                .filter(r -> r.verb().equals("get") || r.verb().equals("list"))
                .filter(r -> ApiServerWrites.OPERATOR_RESOURCES.contains(r.resource()))
                .toList())
        .as("reads of what the operator owns: it works from its informers' caches")
        .isEmpty();
    assertThat(countedAfter - countedBefore)
        .as(
            "apiserver_request_total for create/update/patch of "
                + ApiServerWrites.OPERATOR_RESOURCES)
        .isZero();
  }

  /**
   * The schnell example autoscaled on a Redis queue at a port nothing listens on, read every second
   * (scaled to zero, so it holds no GPU).
   */
  private static String unreadableQueue() throws IOException {
    int closedPort = Fixtures.freePort();
    String fxd =
        Files.readString(RealCluster.REPO_ROOT.resolve("examples/flux-1-schnell.yaml"))
            .replace("redis:6379", "127.0.0.1:" + closedPort)
            .replace(
                "scaleDownStabilizationSeconds: 600",
                "scaleDownStabilizationSeconds: 600\n    pollIntervalSeconds: 1");
    assertThat(fxd).contains("127.0.0.1:" + closedPort).contains("pollIntervalSeconds: 1");
    return fxd;
  }

  private static List<ApiServerWrites.Audited> operatorWrites(KwokCluster cluster, Instant since) {
    return ApiServerWrites.auditedSince(cluster, ChartRelease.SERVICE_ACCOUNT, since).stream()
        .filter(w -> ApiServerWrites.OPERATOR_RESOURCES.contains(w.resource()))
        .toList();
  }
}
