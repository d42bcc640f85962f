package io.fluxops.common;

import java.util.List;

/**
 * What the operator, the sidecar's image and the tools must agree on about the metering sidecar:
 * its port and the JVM flags it runs with.
 */
public final class MeteringSidecar {

  /** The sidecar's port on the pod IP, in every pod: {@code /metrics}, {@code /status}, health. */
  public static final int PORT = 9469;

  /**
   * The sidecar's usage endpoint, on the pod's loopback (127.0.0.1) only, so that only the pod's
   * own containers can report: not a container port, since nothing outside the pod may use it.
   */
  public static final int USAGE_PORT = 9470;

  /**
   * The sidecar's JVM flags: small and predictable beside a GPU server (measured in BENCHMARKS.md,
   * "Metering sidecar"). The image sets them (metering/pom.xml, jib; a test there keeps its copy
   * equal to this list), and the sandbox and the process tests start the jar with them.
   */
  public static final List<String> JVM_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-Xms8m",
          "-Xmx24m",
          "-Xmn2m",
          "-XX:MaxMetaspaceSize=32m",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:MaxDirectMemorySize=8m",
          "-Xint",
          "-Xss256k",
          "-XX:-UsePerfData",
          "-XX:+ExitOnOutOfMemoryError",
          "-Djava.io.tmpdir=/tmp");

  private MeteringSidecar() {}
}
