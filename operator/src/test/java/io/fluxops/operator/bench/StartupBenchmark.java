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
 * is printed. Given several jars (e.g. the build before a change and after it), it alternates them
 * run by run, so that a machine whose load drifts weighs on both alike. See BENCHMARKS.md ("The
 * operator artifact") for the command and the figures.
 */
public final class StartupBenchmark {

  /** Held, so that the level set on it is not lost with a collected logger. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

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
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    List<Path> jars =
        args.length > 2
            ? java.util.Arrays.stream(args).skip(2).map(Path::of).toList()
            : List.of(OperatorProcess.JAR);
    new StartupBenchmark().run(runs, idleSeconds, jars);
    System.exit(0);
  }

  private void run(int runs, int idleSeconds, List<Path> jars) throws Exception {
    for (Path jar : jars) {
      if (!Files.exists(jar)) {
        throw new IllegalStateException(
            jar + " does not exist: build it first with ./mvnw -pl operator -am package");
      }
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        System.out.printf(
            Locale.ROOT,
            "%s: %.1f MiB, %d entries%n",
            jar,
            Files.size(jar) / (1024.0 * 1024),
            zip.size());
      }
    }
    java.util.Map<Path, List<Double>> startSeconds = new java.util.LinkedHashMap<>();
    java.util.Map<Path, List<Double>> rssMiB = new java.util.LinkedHashMap<>();
    for (int run = 0; run < runs; run++) {
      for (Path jar : jars) {
        double[] figures = measure(jar, idleSeconds);
        startSeconds.computeIfAbsent(jar, j -> new ArrayList<>()).add(figures[0]);
        rssMiB.computeIfAbsent(jar, j -> new ArrayList<>()).add(figures[1]);
        System.out.printf(
            Locale.ROOT,
            "run %d, %s: /healthz after %.2f s, RSS %.0f MiB%n",
            run + 1,
            jar,
            figures[0],
            figures[1]);
      }
    }
    for (Path jar : jars) {
      System.out.printf(
          Locale.ROOT,
          "%s, median of %d: start to /healthz %.2f s; RSS idle with %d FluxDeployments %.0f MiB%n",
          jar,
          runs,
          median(startSeconds.get(jar)),
          FLUX_DEPLOYMENTS,
          median(rssMiB.get(jar)));
    }
  }

  /** Seconds from start to /healthz, and RSS in MiB once idle with the FluxDeployments. */
  private double[] measure(Path jar, int idleSeconds) throws Exception {
    try (MockCluster cluster = new MockCluster()) {
      int port = freePort();
      long start = System.nanoTime();
      Process operator = OperatorProcess.start(jar, cluster, port, "startup-benchmark");
      try {
        awaitHealthy(port);
        double started = (System.nanoTime() - start) / 1e9;
        createFluxDeployments(cluster);
        awaitObserved(cluster);
        TimeUnit.SECONDS.sleep(idleSeconds);
        return new double[] {started, OperatorProcess.rssKiB(operator) / 1024.0};
      } finally {
        OperatorProcess.stop(operator);
      }
    }
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
