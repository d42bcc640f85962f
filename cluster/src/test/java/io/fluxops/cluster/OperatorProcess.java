package io.fluxops.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator jar as its own process, outside the cluster, configured as the chart configures its
 * pod: the environment comes from the container the chart installed, and it authenticates as the
 * chart's ServiceAccount. Two things differ, because it runs on this machine and not in a pod:
 * {@code FLUXOPS_HTTP_PORT} is a free port (several operators may run at once), and {@code
 * POD_NAME}/{@code POD_NAMESPACE}, which the kubelet fills from the pod, are given by the test.
 */
final class OperatorProcess implements AutoCloseable {

  static final Path JAR = RealCluster.REPO_ROOT.resolve("operator/target/fluxops-operator.jar");
  private static final Path LOGBACK =
      RealCluster.REPO_ROOT.resolve("cluster/target/test-classes/operator-logback.xml");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;
  private final int httpPort;
  private final String identity;

  private OperatorProcess(Process process, Path log, int httpPort, String identity) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.identity = identity;
  }

  /**
   * Starts the operator with the environment of the chart's operator container and waits until its
   * {@code /healthz} answers 200 (or, when it does not lead, until it runs).
   *
   * @param chartDeployment the chart's operator Deployment, as Helm installed it
   * @param identity the Lease holder's name ({@code POD_NAME} in a pod)
   * @param extraEnv settings a test changes, named in the test
   */
  static OperatorProcess start(
      KwokCluster cluster,
      Deployment chartDeployment,
      Path kubeconfig,
      String identity,
      Map<String, String> extraEnv) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          "build the operator jar first: ./mvnw -pl operator -am package");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar variable :
        chartDeployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (variable.getValue() != null) {
        env.put(variable.getName(), variable.getValue());
      }
    }
    int port = Fixtures.freePort();
    env.put("POD_NAME", identity);
    env.put("POD_NAMESPACE", chartDeployment.getMetadata().getNamespace());
    env.put("FLUXOPS_HTTP_PORT", String.valueOf(port));
    env.putAll(extraEnv);
    env.put("KUBECONFIG", kubeconfig.toString());
    List<String> command = new ArrayList<>(List.of("java"));
    // The heap is capped for a machine that runs several JVMs at once; in a pod the image's
    // -XX:MaxRAMPercentage sizes it from the container's memory limit.
    command.add("-Xmx384m");
    command.add("-Dlogback.configurationFile=" + LOGBACK);
    command.addAll(List.of("-jar", JAR.toString()));
    Path log = RealCluster.REPO_ROOT.resolve("cluster/target/operator-" + identity + ".log");
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder
          .environment()
          .keySet()
          .removeIf(name -> name.startsWith("FLUXOPS_") || name.startsWith("KUBERNETES_"));
      builder.environment().putAll(env);
      OperatorProcess operator = new OperatorProcess(builder.start(), log, port, identity);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .failFast(
              "the operator exited; its log:\n" + operator.log(), () -> !operator.process.isAlive())
          .until(() -> operator.log().contains("Serving /healthz"));
      return operator;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the operator jar", e);
    }
  }

  String identity() {
    return identity;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** {@code /healthz}'s status code, or -1 when nothing answers. */
  int healthz() {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Everything it has logged so far. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGKILL: no shutdown hook runs, the Lease is not released. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
