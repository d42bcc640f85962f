package io.fluxops.cluster;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that gives a test the one real cluster of this test JVM, started on first use and
 * deleted when the JVM's tests are done (and, after a killed run, at the next start).
 *
 * <p>Without the control-plane binaries the tests are skipped with one line that says how to build
 * them, unless {@code FLUXOPS_REQUIRE_CLUSTER} is {@code true} (as in CI), where that fails them.
 * With {@code FLUXOPS_TEST_KUBECONFIG} set, the tests borrow that cluster instead of starting one
 * ({@link KwokCluster#attach}); the few that read the API server's audit log are then skipped.
 */
public final class RealCluster implements ParameterResolver {

  /** Where the FluxOps checkout is (Maven sets it; the working directory is the module). */
  public static final Path REPO_ROOT =
      Path.of(System.getProperty("fluxops.repo.root", "..")).toAbsolutePath().normalize();

  /**
   * The nodes every cluster test can count on: two GPU pools with four GPUs a node (room for all
   * the test classes' FluxDeployments at once, and too few for a replica asking for eight), and a
   * node without GPUs for the chart's own pod.
   */
  public static final List<GpuNodePool> NODES =
      List.of(GpuNodePool.rtx4090(10, 4), GpuNodePool.blackwell(6, 4), GpuNodePool.cpu(1));

  private static final String REQUIRE = "FLUXOPS_REQUIRE_CLUSTER";
  private static final String ATTACH = "FLUXOPS_TEST_KUBECONFIG";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KwokCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .computeIfAbsent(KwokCluster.class, key -> start(), KwokCluster.class);
  }

  /** The control plane for a benchmark main, which has no test to skip: its absence stops it. */
  static ControlPlaneBinaries binariesForBenchmark() {
    ControlPlaneBinaries.Lookup lookup = ControlPlaneBinaries.find(REPO_ROOT);
    return lookup
        .binaries()
        .orElseThrow(() -> new IllegalStateException("no control plane: " + lookup.whyMissing()));
  }

  /** Skips a test that reads the API server's audit log on a cluster that is not ours. */
  static void assumeAuditLog(KwokCluster cluster) {
    Assumptions.assumeFalse(
        cluster.attached(),
        "reads the API server's audit log, which only a cluster the tests start has");
  }

  private static KwokCluster start() {
    ControlPlaneBinaries.Lookup lookup = ControlPlaneBinaries.find(REPO_ROOT);
    if (lookup.binaries().isEmpty()) {
      String message = "cluster tests skipped: " + lookup.whyMissing();
      if (Boolean.parseBoolean(System.getenv(REQUIRE))) {
        throw new IllegalStateException(message + " (" + REQUIRE + "=true: they must run)");
      }
      Assumptions.abort(message);
    }
    String kubeconfig = System.getenv(ATTACH);
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      return KwokCluster.attach(
          lookup.binaries().get(), KwokCluster.defaultWorkDir(), Path.of(kubeconfig), NODES);
    }
    return KwokCluster.start(
        lookup.binaries().get(), KwokCluster.defaultWorkDir(), "fluxops-it", NODES);
  }
}
