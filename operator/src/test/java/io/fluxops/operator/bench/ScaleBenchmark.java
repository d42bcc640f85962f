package io.fluxops.operator.bench;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fluxops.operator.api.AutoscalingSpec;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.PodsQueueSpec;
import io.fluxops.operator.api.QueueSpec;
import io.fluxops.operator.testing.Examples;
import io.fluxops.operator.testing.MockCluster;
import io.fluxops.operator.testing.QueueMetricServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The operator at fleet scale: the real operator jar, as its own process, against the mock API
 * server holding a thousand FluxDeployments. Prints convergence time, memory, API requests per
 * reconcile, idle writes, reconcile latency, and the autoscaler's poll lag. See BENCHMARKS.md for
 * the command and the figures.
 */
public final class ScaleBenchmark {

  private static final Path JAR = OperatorProcess.JAR;
  private static final String HEAP = OperatorProcess.HEAP;

  private final int deployments;
  private final int namespaces;
  private final int idleSeconds;
  private final int podsPerDeployment;
  private final HttpClient http = HttpClient.newHttpClient();

  private ScaleBenchmark(int deployments, int namespaces, int idleSeconds, int pods) {
    this.deployments = deployments;
    this.namespaces = namespaces;
    this.idleSeconds = idleSeconds;
    this.podsPerDeployment = pods;
  }

  public static void main(String[] args) throws Exception {
    // The mock server logs every request through java.util.logging; a thousand objects drown
    // the figures.
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
    int deployments = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int idle = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    new ScaleBenchmark(deployments, namespaces, idle, 5).run();
    System.exit(0);
  }

  private void run() throws Exception {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException("build the jar first: ./mvnw -pl operator -am package");
    }
    System.out.printf(
        Locale.ROOT,
        "FluxDeployments: %d in %d namespaces, %d cores%n",
        deployments,
        namespaces,
        Runtime.getRuntime().availableProcessors());
    try (MockCluster cluster = new MockCluster()) {
      reconcilePhase(cluster);
    }
    try (MockCluster cluster = new MockCluster();
        QueueMetricServer fast = QueueMetricServer.start();
        QueueMetricServer slow = QueueMetricServer.start();
        SidecarStatusServer sidecars = SidecarStatusServer.start()) {
      slow.delay(Duration.ofSeconds(10));
      pollingPhase(cluster, fast, slow, sidecars);
    }
  }

  private void reconcilePhase(MockCluster cluster) throws Exception {
    int port = freePort();
    Process operator = startOperator(cluster, port);
    try {
      awaitMetrics(port);
      long requestsBefore = cluster.dispatcher().requestCount();
      long start = System.nanoTime();
      createAll(cluster, i -> fixed(i));
      awaitConverged(cluster);
      double converged = (System.nanoTime() - start) / 1e9;
      long requests = cluster.dispatcher().requestCount() - requestsBefore;
      String metrics = scrape(port);
      double reconciles = sum(metrics, "operator_sdk_reconciliations_started_total");
      System.out.printf(Locale.ROOT, "converged (objects + status): %.1f s%n", converged);
      System.out.printf(
          Locale.ROOT,
          "API requests: %d for %.0f reconciles = %.1f per reconcile%n",
          requests,
          reconciles,
          requests / reconciles);
      System.out.printf(
          Locale.ROOT,
          "reconcile latency: p50 %.1f ms, p99 %.1f ms%n",
          1000 * quantile(metrics, 0.5),
          1000 * quantile(metrics, 0.99));
      int writesBefore = cluster.dispatcher().writeCount();
      TimeUnit.SECONDS.sleep(idleSeconds);
      int idleWrites = cluster.dispatcher().writeCount() - writesBefore;
      System.out.printf(
          Locale.ROOT,
          "writes at idle: %d in %d s (%.1f per minute)%n",
          idleWrites,
          idleSeconds,
          idleWrites * 60.0 / idleSeconds);
      printMemory(operator, scrape(port));
    } finally {
      stop(operator);
    }
  }

  private void pollingPhase(
      MockCluster cluster,
      QueueMetricServer fast,
      QueueMetricServer slow,
      SidecarStatusServer sidecars)
      throws Exception {
    int port = freePort();
    Process operator = startOperator(cluster, port);
    try {
      awaitMetrics(port);
      fast.depth(2);
      createAll(cluster, i -> autoscaled(i, i == 0 ? slow.port() : fast.port()));
      awaitDeployments(cluster);
      runPods(cluster);
      System.out.printf(
          Locale.ROOT,
          "autoscaler: %d autoscaled FluxDeployments x %d pods, one with a pod that answers in"
              + " 10 s, polling every 5 s; every pod's metering sidecar read every 15 s%n",
          deployments,
          podsPerDeployment);
      // Measure a minute of steady polling, after the first round has settled.
      TimeUnit.SECONDS.sleep(20);
      String before = scrape(port);
      long sidecarReadsBefore = sidecars.requests();
      TimeUnit.SECONDS.sleep(60);
      String metrics = scrape(port);
      long sidecarReads = sidecars.requests() - sidecarReadsBefore;
      double polls =
          sum(metrics, "fluxops_autoscaler_poll_lag_seconds_count")
              - sum(before, "fluxops_autoscaler_poll_lag_seconds_count");
      double lagSum =
          sum(metrics, "fluxops_autoscaler_poll_lag_seconds_sum")
              - sum(before, "fluxops_autoscaler_poll_lag_seconds_sum");
      System.out.printf(
          Locale.ROOT,
          "poll lag over %.0f polls in 60 s: mean %.0f ms, p99 %.0f ms, max %.0f ms%n",
          polls,
          1000 * lagSum / polls,
          1000
              * PrometheusText.sum(
                  metrics, "fluxops_autoscaler_poll_lag_seconds", "quantile=\"0.99\""),
          1000 * sum(metrics, "fluxops_autoscaler_poll_lag_seconds_max"));
      System.out.printf(
          Locale.ROOT,
          "queue polls per second: %.0f (%d expected at a 5 s interval)%n",
          polls / 60.0,
          deployments / 5);
      System.out.printf(
          Locale.ROOT,
          "sidecar /status reads per second: %.0f (%d expected at a 15 s interval)%n",
          sidecarReads / 60.0,
          deployments * podsPerDeployment / 15);
      printMemory(operator, metrics);
    } finally {
      stop(operator);
    }
  }

  private interface Factory {
    FluxDeployment create(int index);
  }

  private void createAll(MockCluster cluster, Factory factory) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = 0; i < deployments; i++) {
      FluxDeployment fd = factory.create(i);
      pool.submit(() -> cluster.client().resource(fd).create());
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.MINUTES);
  }

  private FluxDeployment fixed(int i) {
    FluxDeployment fd = Examples.load("flux-1-kontext-dev-blackwell.yaml", namespace(i));
    fd.getMetadata().setName("fxd-" + i);
    return fd;
  }

  private FluxDeployment autoscaled(int i, int queuePort) {
    FluxDeployment fd = Examples.load("flux-1-dev-rtx-4090.yaml", namespace(i));
    fd.getMetadata().setName("fxd-" + i);
    AutoscalingSpec autoscaling = fd.getSpec().getAutoscaling();
    autoscaling.setMinReplicas(podsPerDeployment);
    autoscaling.setMaxReplicas(podsPerDeployment);
    QueueSpec queue = new QueueSpec();
    PodsQueueSpec pods = new PodsQueueSpec();
    pods.setPort(queuePort);
    queue.setPods(pods);
    autoscaling.setQueue(queue);
    return fd;
  }

  private String namespace(int i) {
    return "team-" + (i % namespaces);
  }

  private void awaitConverged(MockCluster cluster) throws InterruptedException {
    var client = cluster.client();
    while (true) {
      long withStatus =
          client.resources(FluxDeployment.class).inAnyNamespace().list().getItems().stream()
              .filter(
                  fd ->
                      fd.getStatus() != null
                          && Long.valueOf(1).equals(fd.getStatus().getObservedGeneration()))
              .count();
      int owned =
          Math.min(
              Math.min(
                  client.apps().deployments().inAnyNamespace().list().getItems().size(),
                  client.services().inAnyNamespace().list().getItems().size()),
              Math.min(
                  client
                      .policy()
                      .v1()
                      .podDisruptionBudget()
                      .inAnyNamespace()
                      .list()
                      .getItems()
                      .size(),
                  client.serviceAccounts().inAnyNamespace().list().getItems().size()));
      if (withStatus == deployments && owned == deployments) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  private void awaitDeployments(MockCluster cluster) throws InterruptedException {
    while (cluster.client().apps().deployments().inAnyNamespace().list().getItems().size()
        < deployments) {
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  /** Plays kubelet: every Deployment's pods, ready on loopback. */
  private void runPods(MockCluster cluster) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (Deployment d : cluster.client().apps().deployments().inAnyNamespace().list().getItems()) {
      for (int p = 0; p < podsPerDeployment; p++) {
        int index = p;
        pool.submit(
            () ->
                cluster
                    .client()
                    .pods()
                    .inNamespace(d.getMetadata().getNamespace())
                    .resource(
                        new PodBuilder()
                            .withNewMetadata()
                            .withName(d.getMetadata().getName() + "-" + index)
                            .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
                            .endMetadata()
                            .withSpec(d.getSpec().getTemplate().getSpec())
                            .withNewStatus()
                            .withPhase("Running")
                            .withPodIP("127.0.0.1")
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus("True")
                            .endCondition()
                            .endStatus()
                            .build())
                    .create());
      }
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.MINUTES);
  }

  private Process startOperator(MockCluster cluster, int port) throws IOException {
    return OperatorProcess.start(cluster, port, "scale-benchmark");
  }

  private void printMemory(Process operator, String metrics) throws IOException {
    long rssKb = OperatorProcess.rssKiB(operator);
    double heap = PrometheusText.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
    System.out.printf(
        Locale.ROOT,
        "operator memory: RSS %.0f MiB, heap used %.0f MiB (-Xmx" + HEAP + ")%n",
        rssKb / 1024.0,
        heap / (1024 * 1024));
  }

  private void awaitMetrics(int port) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      try {
        scrape(port);
        return;
      } catch (IOException e) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    throw new IllegalStateException(
        "the operator did not start: see target/scale-benchmark-operator.log");
  }

  private String scrape(int port) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static double quantile(String metrics, double q) {
    return PrometheusText.histogramQuantile(
        metrics, "operator_sdk_controllers_execution_reconcile_seconds", q);
  }

  private static double sum(String metrics, String name) {
    return PrometheusText.sum(metrics, name);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void stop(Process process) throws InterruptedException {
    OperatorProcess.stop(process);
  }
}
