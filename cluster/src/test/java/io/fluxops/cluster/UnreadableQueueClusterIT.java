package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An autoscaled FluxDeployment whose queue cannot be read is looked at every poll interval; on a
 * real API server, which defaults and normalises what it stores, none of those looks may write: not
 * the Deployment (the matcher must see the stored object as the desired one), not the status (the
 * same failure, said again, is the same condition).
 */
@ExtendWith(RealCluster.class)
class UnreadableQueueClusterIT {

  private static final String NAMESPACE = "unreadable-queue-it";
  private static final Duration WATCHED = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aQueueThatCannotBeReadCostsNoWrites(KwokCluster cluster) throws Exception {
    Deployment chart = ChartRelease.ensureInstalled(cluster);
    Fixtures.createNamespace(cluster, NAMESPACE);
    int closedPort = closedPort();
    String fxd =
        Files.readString(RealCluster.REPO_ROOT.resolve("examples/flux-1-schnell.yaml"))
            .replace("redis:6379", "127.0.0.1:" + closedPort)
            .replace(
                "scaleDownStabilizationSeconds: 600",
                "scaleDownStabilizationSeconds: 600\n    pollIntervalSeconds: 1");
    assertThat(fxd).contains("127.0.0.1:" + closedPort).contains("pollIntervalSeconds: 1");
    try (OperatorProcess operator =
        OperatorProcess.start(
            cluster,
            chart,
            ChartRelease.kubeconfig(cluster, "unreadable-queue-it"),
            "unreadable-queue-it",
            Map.of())) {
      cluster.kubectl("apply", "-n", NAMESPACE, "-f", "-").stdin(fxd).runOrThrow();
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(
                          FluxDeployments.condition(
                              cluster.admin(), NAMESPACE, "schnell", "Autoscaling"))
                      .as("the Autoscaling condition of schnell")
                      .hasValueSatisfying(
                          c -> assertThat(c.getReason()).isEqualTo("QueueUnreadable")));
      // Past the create, the first status and the Deployment controller's own updates.
      Thread.sleep(Duration.ofSeconds(15).toMillis());

      Instant start = Instant.now();
      Thread.sleep(WATCHED.toMillis());
      List<ApiServerWrites.Audited> writes = writes(cluster, start);
      assertThat(writes)
          .as(() -> "the operator's writes while the queue could not be read; " + changed(writes))
          .isEmpty();
      assertThat(
              ApiServerWrites.requestsSince(cluster, ChartRelease.SERVICE_ACCOUNT, start).stream()
                  .filter(r -> r.verb().equals("get") || r.verb().equals("list"))
                  .filter(r -> ApiServerWrites.OPERATOR_RESOURCES.contains(r.resource()))
                  .toList())
          .as("reads of what the operator owns: it works from its informers' caches")
          .isEmpty();
    } finally {
      Fixtures.deleteFluxDeployments(cluster, NAMESPACE);
    }
  }

  private static List<ApiServerWrites.Audited> writes(KwokCluster cluster, Instant since) {
    return ApiServerWrites.auditedSince(cluster, ChartRelease.SERVICE_ACCOUNT, since).stream()
        .filter(w -> w.namespace().equals(NAMESPACE))
        .filter(w -> ApiServerWrites.OPERATOR_RESOURCES.contains(w.resource()))
        .toList();
  }

  /** The writes' bodies, in target/, and the first one in the message. */
  private static String changed(List<ApiServerWrites.Audited> writes) {
    if (writes.isEmpty()) {
      return "none";
    }
    Path dump = RealCluster.REPO_ROOT.resolve("cluster/target/unreadable-queue-writes.json");
    try {
      Files.createDirectories(dump.getParent());
      Files.writeString(
          dump,
          JSON.writerWithDefaultPrettyPrinter()
              .writeValueAsString(writes.stream().map(w -> w.requestObject()).toList()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String first = writes.get(0).requestObject().toString();
    return "the first sent "
        + first.substring(0, Math.min(first.length(), 2000))
        + " (all of them in "
        + dump
        + ")";
  }

  /** A port nothing listens on: bound once to find it free, then closed. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
