package io.fluxops.tools.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to run the sandbox.
 *
 * @param duration stop by itself after this long; empty: run until Ctrl-C
 * @param files FluxDeployment and Secret manifests to apply; empty: those in {@code examples/}
 * @param metricsPort port of the operator's {@code /metrics} and {@code /healthz} (0: any free)
 * @param meteringJar the metering sidecar's jar
 * @param workDir where sidecar journals and logs go
 * @param live redraw the table in place (a terminal); false: print each refresh below the last
 * @param realControlPlane a real API server, controllers and scheduler with KWOK's nodes instead of
 *     the mock server and the simulated scheduler and kubelet
 */
public record SandboxOptions(
    Optional<Duration> duration,
    List<Path> files,
    int metricsPort,
    Path meteringJar,
    Path workDir,
    boolean live,
    boolean realControlPlane) {

  /** On the mock API server, the default. */
  public SandboxOptions(
      Optional<Duration> duration,
      List<Path> files,
      int metricsPort,
      Path meteringJar,
      Path workDir,
      boolean live) {
    this(duration, files, metricsPort, meteringJar, workDir, live, false);
  }
}
