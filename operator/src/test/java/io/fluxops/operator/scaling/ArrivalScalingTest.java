package io.fluxops.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fluxops.operator.api.AutoscalerStatus;
import io.fluxops.operator.api.AutoscalingSpec;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.api.QueueSpec;
import io.fluxops.operator.api.RedisQueueSpec;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.operator.observability.PodAddresses;
import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.testing.Examples;
import io.fluxops.operator.testing.FakeKubelet;
import io.fluxops.operator.testing.MockCluster;
import io.fluxops.operator.testing.RedisServer;
import io.fluxops.operator.workload.PodLayout;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The arrival rule inside the operator: the queue in a real redis-server, and the pods' image
 * counts from a stand-in metering sidecar ({@code /status} on port 9469 of the pods' address, a
 * loopback one of this test's own), read by the operator's usage poller into the scaler.
 */
class ArrivalScalingTest {

  private static final String NS = "arrivals";
  private static final String NAME = "kontext-blackwell";
  private static final String KEY = "flux:jobs";

  private final AtomicLong accepted = new AtomicLong();
  private final String podIp = PodAddresses.randomLoopback();
  private HttpServer sidecar;
  private RedisServer redis;
  private MockCluster cluster;

  @BeforeEach
  void start() throws Exception {
    try {
      sidecar =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByName(podIp), PodLayout.METERING_PORT), 0);
    } catch (BindException e) {
      throw new IllegalStateException(
          "port " + PodLayout.METERING_PORT + " is taken: this test stands in for the sidecar", e);
    }
    sidecar.createContext(
        "/status",
        ex -> {
          long n = accepted.get();
          byte[] body =
              ("{\"accepted\":"
                      + n
                      + ",\"reported\":"
                      + n
                      + ",\"pending\":0,\"month\":\"2026-11\",\"monthToDate\":"
                      + n
                      + ",\"licenseState\":\"valid\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    sidecar.start();
    redis = RedisServer.start();
    cluster = new MockCluster().startOperator(config());
  }

  private static io.fluxops.operator.config.OperatorConfig config() {
    return OperatorOptions.load(Map.of(OperatorOptions.USAGE_POLL_SECONDS.env(), "1"));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    redis.close();
    sidecar.stop(0);
  }

  @Test
  void sizesOnArrivalsOnceTheSidecarsCountImagesAndKeepsTheMeasurementAcrossARestart() {
    // Two replicas, no more: every pod reads the one stand-in, so a pod added later would count
    // the stand-in's whole total as its own new images.
    create(null, 2);
    // Two ready pods kept busy by the queue, and an image counted every 2 s by the one stand-in
    // both pods read: 2 images every 4 s of two busy pods, about 2 s per image.
    redis.client().rpush(KEY, "a", "b", "c", "d");
    ScheduledExecutorService counter = countImages(Duration.ofSeconds(2));
    try {
      await()
          .atMost(MockCluster.TIMEOUT.multipliedBy(2))
          .untilAsserted(
              () -> {
                AutoscalerStatus autoscaler = status().getAutoscaler();
                assertThat(autoscaler).isNotNull();
                assertThat(autoscaler.getBasis()).isEqualTo("arrivals");
                assertThat(autoscaler.getSecondsPerImage()).isNotNull();
                assertThat(autoscaler.getMemory().getServiceTime().getImages())
                    .isGreaterThanOrEqualTo(20);
              });
      assertThat(cluster.condition(NS, NAME, ConditionType.AUTOSCALING).getMessage())
          .contains("arrivals")
          .contains("s per image")
          .doesNotContain("queue depth alone");
      assertThat(status().getAutoscalerState()).isNull();
      double measured = status().getAutoscaler().getSecondsPerImage();
      // Blackwell's published 1.344 s per image has given way to what the pods do.
      assertThat(measured).isGreaterThan(1.5);
      int size = replicas();

      cluster.stopOperator();
      Instant restarted = Instant.now();
      cluster.startOperator(config());

      await()
          .atMost(MockCluster.TIMEOUT)
          .until(
              () ->
                  Optional.ofNullable(status().getAutoscaler())
                      .flatMap(a -> Optional.ofNullable(a.getMemory().getLastPoll()))
                      .map(p -> p.getTime() >= restarted.getEpochSecond())
                      .orElse(false));
      assertThat(status().getAutoscaler().getSecondsPerImage())
          .as("the restarted operator continues the measurement instead of the prior")
          .isCloseTo(measured, org.assertj.core.data.Offset.offset(0.5 * measured));
      assertThat(replicas()).as("a restart keeps the size").isEqualTo(size);
    } finally {
      counter.shutdownNow();
    }
  }

  @Test
  void withoutImageCountsSizesOnTheQueueAndSaysWhy() {
    FluxDeployment fd = Examples.load("flux-1-schnell.yaml", NS);
    AutoscalingSpec autoscaling = fd.getSpec().getAutoscaling();
    autoscaling.getQueue().getRedis().setAddress(redis.address());
    autoscaling.setPollIntervalSeconds(1);
    autoscaling.setMinReplicas(1);
    redis.client().rpush(KEY, "a", "b", "c", "d", "e", "f", "g", "h", "i");
    cluster.client().resource(fd).create();
    await()
        .atMost(MockCluster.TIMEOUT.multipliedBy(2))
        .untilAsserted(
            () -> {
              var status = cluster.status(NS, "schnell");
              assertThat(status.getAutoscaler()).isNotNull();
              assertThat(status.getAutoscaler().getBasis()).isEqualTo("queue");
              assertThat(cluster.condition(NS, "schnell", ConditionType.AUTOSCALING).getMessage())
                  .contains(
                      "sizing on queue depth alone: the model is not metered, so its pods run no"
                          + " sidecar to count images");
            });
  }

  @Test
  void theTextFormAnOlderOperatorLeftIsReadOnceSoTheWindowsSurviveTheUpgrade() {
    create(300, 8);
    cluster.stopOperator();
    long now = Instant.now().getEpochSecond();
    FluxDeployment fd = cluster.fluxDeployment(NS, NAME).get();
    FluxDeploymentStatus status = new FluxDeploymentStatus();
    // An older operator recommended 6 replicas a moment ago, within its 300 s window.
    status.setAutoscalerState("v1;last=" + now + ";r=" + now + ":6;q=" + now + ":12");
    fd.setStatus(status);
    cluster.client().resource(fd).updateStatus();
    cluster
        .client()
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName(NAME)
        .edit(
            d -> {
              d.getSpec().setReplicas(6);
              return d;
            });

    cluster.startOperator(config());
    await()
        .atMost(MockCluster.TIMEOUT.multipliedBy(2))
        .untilAsserted(
            () -> {
              assertThat(status().getAutoscalerState()).isNull();
              assertThat(status().getAutoscaler()).isNotNull();
              assertThat(status().getAutoscaler().getMemory().getRecommendations())
                  .anySatisfy(r -> assertThat(r.getReplicas()).isEqualTo(6));
            });
    // The queue is empty, but the old window's 6 holds.
    assertThat(replicas()).isEqualTo(6);
  }

  /** The Blackwell example, autoscaled on the Redis queue, its pods ready at the stand-in. */
  private void create(Integer downWindowSeconds, int maxReplicas) {
    FluxDeployment fd = Examples.load("flux-1-kontext-dev-blackwell.yaml", NS);
    fd.getSpec().setReplicas(null);
    AutoscalingSpec autoscaling = new AutoscalingSpec();
    autoscaling.setMinReplicas(2);
    autoscaling.setMaxReplicas(maxReplicas);
    autoscaling.setTargetQueueDepth(22); // Blackwell's: a replica's images in half a 60 s SLO
    autoscaling.setPollIntervalSeconds(1);
    autoscaling.setScaleDownStabilizationSeconds(downWindowSeconds);
    QueueSpec queue = new QueueSpec();
    queue.setSource("redis");
    RedisQueueSpec redisQueue = new RedisQueueSpec();
    redisQueue.setAddress(redis.address());
    redisQueue.setKey(KEY);
    queue.setRedis(redisQueue);
    autoscaling.setQueue(queue);
    fd.getSpec().setAutoscaling(autoscaling);
    cluster.client().resource(fd).create();
    cluster.awaitDeployment(NS, NAME);
    runPods();
  }

  /** Runs the Deployment's pods ready, all at the stand-in sidecar's address. */
  private void runPods() {
    new FakeKubelet(cluster.client()).runReady(NS, NAME);
    PodAddresses.assign(cluster.client(), NS, NAME, podIp);
  }

  /** Counts an image every {@code interval} at the stand-in sidecar, the queue unchanged. */
  private ScheduledExecutorService countImages(Duration interval) {
    ScheduledExecutorService images = Executors.newSingleThreadScheduledExecutor();
    images.scheduleAtFixedRate(
        accepted::incrementAndGet, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return images;
  }

  private FluxDeploymentStatus status() {
    FluxDeployment fd = cluster.fluxDeployment(NS, NAME).get();
    return fd == null || fd.getStatus() == null ? new FluxDeploymentStatus() : fd.getStatus();
  }

  private int replicas() {
    var d = cluster.client().apps().deployments().inNamespace(NS).withName(NAME).get();
    return d == null ? -1 : d.getSpec().getReplicas();
  }
}
