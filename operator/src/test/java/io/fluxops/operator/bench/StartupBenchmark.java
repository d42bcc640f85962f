package io.fluxops.operator.bench;

import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.testing.Examples;
import io.fluxops.operator.testing.MockCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * What the operator artifact costs a cluster: the jar's size and entries, the time from {@code java
 * -jar} to {@code /healthz} answering 200 against the mock API server, and the process's RSS once
 * it reconciled 10 FluxDeployments and sat idle. Each start is measured several times; the median
 * is printed. See BENCHMARKS.md ("The operator artifact") for the command and the figures.
 */
public final class StartupBenchmark {

  private static final Path JAR = OperatorProcess.JAR;
  private static final int FLUX_DEPLOYMENTS = 10;
  private static final String[] EXAMPLES = {
    "flux-1-dev-rtx-4090.yaml",
    "flux-1-kontext-dev-blackwell.yaml",
    "flux-1-schnell.yaml",
    "flux-tools-rtx-4090.yaml"
  };

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private StartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    new StartupBenchmark().run(runs, idleSeconds);
    System.exit(0);
  }

  private void run(int runs, int idleSeconds) throws Exception {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException("build the jar first: ./mvnw -pl operator -am package");
    }
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      System.out.printf(
          Locale.ROOT,
          "operator jar: %.1f MiB, %d entries%n",
          Files.size(JAR) / (1024.0 * 1024),
          zip.size());
    }
    List<Double> startSeconds = new ArrayList<>();
    List<Double> rssMiB = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      try (MockCluster cluster = new MockCluster()) {
        int port = freePort();
        long start = System.nanoTime();
        Process operator = OperatorProcess.start(cluster, port, "startup-benchmark");
        try {
          awaitHealthy(port);
          startSeconds.add((System.nanoTime() - start) / 1e9);
          createFluxDeployments(cluster);
          awaitObserved(cluster);
          TimeUnit.SECONDS.sleep(idleSeconds);
          rssMiB.add(OperatorProcess.rssKiB(operator) / 1024.0);
        } finally {
          OperatorProcess.stop(operator);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "run %d: /healthz after %.2f s, RSS %.0f MiB%n",
          run + 1,
          startSeconds.get(run),
          rssMiB.get(run));
    }
    System.out.printf(
        Locale.ROOT,
        "median of %d: start to /healthz %.2f s; RSS idle with %d FluxDeployments %.0f MiB%n",
        runs,
        median(startSeconds),
        FLUX_DEPLOYMENTS,
        median(rssMiB));
  }

  private static void createFluxDeployments(MockCluster cluster) {
    for (int i = 0; i < FLUX_DEPLOYMENTS; i++) {
      FluxDeployment fd = Examples.load(EXAMPLES[i % EXAMPLES.length], "team-" + i);
      cluster.client().resource(fd).create();
    }
  }

  private static void awaitObserved(MockCluster cluster) throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      long observed =
          cluster
              .client()
              .resources(FluxDeployment.class)
              .inAnyNamespace()
              .list()
              .getItems()
              .stream()
              .filter(
                  fd -> fd.getStatus() != null && fd.getStatus().getObservedGeneration() != null)
              .count();
      if (observed == FLUX_DEPLOYMENTS) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException("the operator did not reconcile every FluxDeployment");
  }

  private void awaitHealthy(int port) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(Duration.ofSeconds(1))
            .build();
    for (int i = 0; i < 6000; i++) {
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    throw new IllegalStateException("the operator did not answer /healthz within 60 s");
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
