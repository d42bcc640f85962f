package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sandbox --control-plane real}: the same show on kube-apiserver, kube-controller-manager
 * and kube-scheduler with KWOK's GPU nodes (cluster/control-plane/build.sh builds them). Without
 * the binaries it is skipped with the one line that says how to build them, unless {@code
 * FLUXOPS_REQUIRE_CLUSTER=true} (CI), where that fails it.
 */
class SandboxControlPlaneIT {

  @Test
  @Timeout(900)
  void showsTheExamplesOnARealControlPlaneAndReportsEveryImageOnce(@TempDir Path work)
      throws Exception {
    requireControlPlane();
    SandboxOptions options =
        new SandboxOptions(
            Optional.empty(),
            SandboxShow.examples(),
            0,
            SandboxShow.meteringJar(),
            work,
            false,
            true);

    SandboxShow.Result run = SandboxShow.run(options);

    assertThat(run.text())
        .contains("REAL: kube-apiserver")
        .contains("REAL control plane, SIMULATED GPUs");
    SandboxShow.assertEveryImageReportedOnce(run.report());
  }

  private static void requireControlPlane() {
    try {
      KwokControlPlane.binaries(SandboxCommand.repositoryRoot());
      KwokControlPlane.checkAddresses(System.getProperty("os.name"), KwokControlPlane::bindable);
    } catch (IllegalStateException e) {
      if (Boolean.parseBoolean(System.getenv("FLUXOPS_REQUIRE_CLUSTER"))) {
        throw new IllegalStateException(
            e.getMessage() + " (FLUXOPS_REQUIRE_CLUSTER=true: this test must run)", e);
      }
      Assumptions.abort("sandbox --control-plane real skipped: " + e.getMessage());
    }
  }
}
