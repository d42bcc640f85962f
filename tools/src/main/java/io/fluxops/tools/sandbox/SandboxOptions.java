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
 */
public record SandboxOptions(
    Optional<Duration> duration,
    List<Path> files,
    int metricsPort,
    Path meteringJar,
    Path workDir,
    boolean live) {}
