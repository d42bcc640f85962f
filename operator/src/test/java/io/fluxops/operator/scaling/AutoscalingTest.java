package io.fluxops.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.operator.api.AutoscalingSpec;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.PodsQueueSpec;
import io.fluxops.operator.api.QueueSpec;
import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.testing.Examples;
import io.fluxops.operator.testing.FakeKubelet;
import io.fluxops.operator.testing.MockCluster;
import io.fluxops.operator.testing.QueueMetricServer;
import io.fluxops.operator.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler inside the operator, against the mock API server, with queues served by real
 * servers: each pod's metrics endpoint on loopback, and a real redis-server.
 */
class AutoscalingTest {

  private static final String NS = "scale";
  private static final String NAME = "schnell";
  private static final int DOWN_WINDOW_SECONDS = 4;

  private MockCluster cluster;
  private FakeKubelet kubelet;
  private QueueMetricServer pods;

  @BeforeEach
  void start() throws Exception {
    cluster = new MockCluster().startOperator();
    kubelet = new FakeKubelet(cluster.client());
    pods = QueueMetricServer.start();
  }

  @AfterEach
  void stop() {
    pods.close();
    cluster.close();
  }

  @Test
  void queueSpikeScalesUpSeveralReplicasWithinOnePollInterval() {
    runOnPodQueue(1);

    pods.depth(10);
    Instant spike = Instant.now();

    await().atMost(Duration.ofSeconds(5)).until(() -> replicas() == 5);
    assertThat(Duration.between(spike, Instant.now())).isLessThan(Duration.ofSeconds(3));
    await()
        .atMost(MockCluster.TIMEOUT)
        .untilAsserted(
            () -> {
              var status = cluster.status(NS, NAME);
              assertThat(status.getDesiredReplicas()).isEqualTo(5);
              assertThat(status.getQueueDepth()).isEqualTo(10L);
              assertThat(status.getLastScaleTime()).isNotNull();
              assertThat(cluster.condition(NS, NAME, ConditionType.AUTOSCALING).getStatus())
                  .isEqualTo("True");
            });
    // One step from 1 to 5, not one replica at a time.
    assertThat(scaleEvents("up")).isEqualTo(1.0);
    assertThat(cluster.fluxDeployment(NS, NAME).get().getSpec().getReplicas())
        .as("the autoscaler never writes spec")
        .isNull();
  }

  @Test
  void drainedQueueScalesDownOnlyAfterTheWindow() {
    runOnPodQueue(1);
    pods.depth(10);
    await().atMost(Duration.ofSeconds(5)).until(() -> replicas() == 5);
    pods.depth(0);
    kubelet.runReady(NS, NAME);
    Instant drained = Instant.now();

    await()
        .during(Duration.ofSeconds(DOWN_WINDOW_SECONDS - 2))
        .atMost(Duration.ofSeconds(DOWN_WINDOW_SECONDS))
        .until(() -> replicas() == 5);
    await().atMost(Duration.ofSeconds(DOWN_WINDOW_SECONDS + 6)).until(() -> replicas() == 1);
    assertThat(Duration.between(drained, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(DOWN_WINDOW_SECONDS - 2));
  }

  @Test
  void failingQueueHoldsTheSizeAndSaysSo() {
    runOnPodQueue(1);
    pods.depth(6);
    await().atMost(Duration.ofSeconds(5)).until(() -> replicas() == 3);
    kubelet.runReady(NS, NAME);

    pods.status(500);

    await()
        .atMost(MockCluster.TIMEOUT)
        .untilAsserted(
            () -> {
              var condition = cluster.condition(NS, NAME, ConditionType.AUTOSCALING);
              assertThat(condition.getStatus()).isEqualTo("False");
              assertThat(condition.getReason()).isEqualTo("QueueUnreadable");
            });
    // Held past the window: any other size fails at once, so a slow machine may take longer to
    // poll for the whole window without weakening that.
    await()
        .during(Duration.ofSeconds(DOWN_WINDOW_SECONDS + 2))
        .atMost(Duration.ofSeconds(DOWN_WINDOW_SECONDS + 2).plus(MockCluster.TIMEOUT))
        .failFast("the size changed while the queue could not be read", () -> replicas() != 3)
        .until(() -> replicas() == 3);
    assertThat(
            cluster.registry().find(ScalingMetrics.READ_FAILURES).counters().stream()
                .mapToDouble(c -> c.count())
                .sum())
        .isPositive();
  }

  @Test
  void minZeroScalesToZeroWhenTheRedisQueueEmptiesAndBackAtTheFirstJob() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      FluxDeployment fd = Examples.load("flux-1-schnell.yaml", NS);
      AutoscalingSpec autoscaling = fd.getSpec().getAutoscaling();
      autoscaling.getQueue().getRedis().setAddress(redis.address());
      autoscaling.setPollIntervalSeconds(1);
      autoscaling.setScaleDownStabilizationSeconds(DOWN_WINDOW_SECONDS);
      redis.client().rpush("flux:jobs", "a", "b", "c", "d", "e");
      cluster.client().resource(fd).create();

      await().atMost(MockCluster.TIMEOUT.multipliedBy(2)).until(() -> replicas() == 2);
      kubelet.runReady(NS, NAME);
      redis.client().del("flux:jobs");
      await().atMost(Duration.ofSeconds(DOWN_WINDOW_SECONDS + 8)).until(() -> replicas() == 0);
      kubelet.runReady(NS, NAME);
      await()
          .atMost(MockCluster.TIMEOUT)
          .until(
              () ->
                  "ScaledToZero"
                      .equals(cluster.condition(NS, NAME, ConditionType.READY).getReason()));

      redis.client().rpush("flux:jobs", "f");
      await().atMost(Duration.ofSeconds(4)).until(() -> replicas() == 1);
    }
  }

  @Test
  void restartedOperatorKeepsTheScaleDownWindow() {
    runOnPodQueue(1);
    pods.depth(10);
    await().atMost(Duration.ofSeconds(5)).until(() -> replicas() == 5);
    pods.depth(0);
    // The window runs from the last reading of the full queue, at most a poll before this: taken
    // after the kubelet's work, the instant came late on a loaded machine (1.92 s measured).
    Instant drained = Instant.now();
    kubelet.runReady(NS, NAME);
    await()
        .atMost(MockCluster.TIMEOUT)
        .until(() -> Long.valueOf(0).equals(cluster.status(NS, NAME).getQueueDepth()));

    cluster.stopOperator();
    cluster.startOperator();

    await().atMost(Duration.ofSeconds(DOWN_WINDOW_SECONDS + 8)).until(() -> replicas() == 1);
    // It finished the window that began before the restart instead of starting a new one.
    assertThat(Duration.between(drained, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(DOWN_WINDOW_SECONDS - 2))
        .isLessThan(Duration.ofSeconds(2L * DOWN_WINDOW_SECONDS + 4));
  }

  /** Creates an autoscaled FluxDeployment whose pods report the queue through {@link #pods}. */
  private void runOnPodQueue(int minReplicas) {
    FluxDeployment fd = Examples.load("flux-1-schnell.yaml", NS);
    AutoscalingSpec autoscaling = new AutoscalingSpec();
    autoscaling.setMinReplicas(minReplicas);
    autoscaling.setMaxReplicas(8);
    autoscaling.setTargetQueueDepth(2);
    autoscaling.setPollIntervalSeconds(1);
    autoscaling.setScaleDownStabilizationSeconds(DOWN_WINDOW_SECONDS);
    QueueSpec queue = new QueueSpec();
    PodsQueueSpec podsQueue = new PodsQueueSpec();
    podsQueue.setPort(pods.port());
    queue.setPods(podsQueue);
    autoscaling.setQueue(queue);
    fd.getSpec().setAutoscaling(autoscaling);
    cluster.client().resource(fd).create();
    cluster.awaitDeployment(NS, NAME);
    kubelet.runReady(NS, NAME);
    await().atMost(MockCluster.TIMEOUT).until(() -> replicas() == minReplicas);
  }

  private double scaleEvents(String direction) {
    return cluster
        .registry()
        .find(ScalingMetrics.SCALE_EVENTS)
        .tag("direction", direction)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private int replicas() {
    var d = cluster.client().apps().deployments().inNamespace(NS).withName(NAME).get();
    return d == null ? -1 : d.getSpec().getReplicas();
  }
}
