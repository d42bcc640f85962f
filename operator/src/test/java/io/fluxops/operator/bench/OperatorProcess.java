package io.fluxops.operator.bench;

import io.fluxops.operator.testing.Kubeconfigs;
import io.fluxops.operator.testing.MockCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The packaged operator jar as its own process, pointed at a mock API server by a kubeconfig. */
final class OperatorProcess {

  static final Path JAR = Path.of("target/fluxops-operator.jar");

  /** The operator's heap: what MaxRAMPercentage=50 gives in a 512 MiB container. */
  static final String HEAP = "256m";

  private OperatorProcess() {}

  /** Starts the jar; its output goes to {@code target/<name>-operator.log}. */
  static Process start(MockCluster cluster, int httpPort, String name) throws IOException {
    return start(JAR, cluster, httpPort, name);
  }

  /** Starts {@code jar}, another build of the operator (e.g. the one before a change). */
  static Process start(Path jar, MockCluster cluster, int httpPort, String name)
      throws IOException {
    Path kubeconfig =
        Kubeconfigs.write(
            Files.createTempFile(Path.of("target"), name, ".kubeconfig"), cluster.url());
    ProcessBuilder builder =
        new ProcessBuilder("java", "-Xmx" + HEAP, "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(Path.of("target/" + name + "-operator.log").toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("FLUXOPS_HTTP_PORT", Integer.toString(httpPort));
    return builder.start();
  }

  /** The process's resident set, from /proc. */
  static long rssKiB(Process process) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElse(-1L);
  }

  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
