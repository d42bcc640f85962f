package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

/**
 * Autoscaling end to end: a real Redis queue, the real Deployment controller and scheduler, pods
 * turned Ready by KWOK, and back to zero after the window.
 */
@ExtendWith(RealCluster.class)
class AutoscalingClusterIT {

  private static final String NAMESPACE = "autoscaling-it";
  private static final int DOWN_WINDOW_SECONDS = 10;

  @Test
  void aRedisBacklogScalesTheDeploymentUpAndAnEmptyQueueBackToZero(KwokCluster cluster)
      throws Exception {
    Path redisServer = Path.of("/usr/bin/redis-server");
    assertThat(redisServer)
        .as("redis-server (apt-get install redis-server; .ci/run does)")
        .isExecutable();
    Deployment chart = ChartRelease.ensureInstalled(cluster);
    Fixtures.createNamespace(cluster, NAMESPACE);
    int port = Fixtures.freePort();
    Process redis =
        new ProcessBuilder(
                redisServer.toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (JedisPooled queue = new JedisPooled("127.0.0.1", port);
        OperatorProcess operator =
            OperatorProcess.start(
                cluster,
                chart,
                ChartRelease.kubeconfig(cluster, "autoscaling-it"),
                "autoscaling-it",
                Map.of())) {
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> "PONG".equals(queue.ping()));
      // The schnell example, with the queue on this machine, read every second and a short window.
      String example =
          Files.readString(RealCluster.REPO_ROOT.resolve("examples/flux-1-schnell.yaml"));
      String fxd =
          example
              .replace("redis:6379", "127.0.0.1:" + port)
              .replace(
                  "scaleDownStabilizationSeconds: 600",
                  "scaleDownStabilizationSeconds: "
                      + DOWN_WINDOW_SECONDS
                      + "\n    pollIntervalSeconds: 1");
      assertThat(fxd).contains("127.0.0.1:" + port).contains("pollIntervalSeconds: 1");
      cluster.kubectl("apply", "-n", NAMESPACE, "-f", "-").stdin(fxd).runOrThrow();
      await().atMost(Duration.ofSeconds(60)).until(() -> replicas(cluster) == 0);

      // 12 jobs at 4 per replica: 3 replicas, in one step.
      queue.rpush("flux:jobs", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(replicas(cluster)).isEqualTo(3);
                assertThat(FluxDeployments.pods(cluster.admin(), NAMESPACE, "schnell"))
                    .hasSize(3)
                    .allMatch(FluxDeployments::runningAndReady);
                assertThat(
                        FluxDeployments.get(cluster.admin(), NAMESPACE, "schnell")
                            .getStatus()
                            .getQueueDepth())
                    .isEqualTo(12L);
              });

      queue.del("flux:jobs");
      await()
          .atMost(Duration.ofSeconds(DOWN_WINDOW_SECONDS + 60))
          .untilAsserted(
              () -> {
                assertThat(replicas(cluster)).isZero();
                assertThat(FluxDeployments.pods(cluster.admin(), NAMESPACE, "schnell")).isEmpty();
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          FluxDeployments.condition(cluster.admin(), NAMESPACE, "schnell", "Ready"))
                      .as("scaled to zero is Ready")
                      .hasValueSatisfying(
                          ready -> {
                            assertThat(ready.getStatus()).isEqualTo("True");
                            assertThat(ready.getReason()).isEqualTo("ScaledToZero");
                          }));
    } finally {
      Fixtures.deleteFluxDeployments(cluster, NAMESPACE);
      redis.destroy();
      redis.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static int replicas(KwokCluster cluster) {
    Deployment deployment =
        cluster.admin().apps().deployments().inNamespace(NAMESPACE).withName("schnell").get();
    return deployment == null ? -1 : deployment.getSpec().getReplicas();
  }
}
