package io.fluxops.common;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
   * With proxy counting, where the inference server listens on the pod's loopback (127.0.0.1),
   * behind the sidecar that took its serving port. Clear of the sidecar's own ports and of the
   * ports servers keep for themselves beside their HTTP port (Triton-based NIMs use 8001 and 8002
   * for gRPC and metrics).
   */
  public static final int UPSTREAM_PORT = 9472;

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

  /**
   * The JIT flags that replace {@code -Xint} when the sidecar counts by proxy ({@code
   * FLUXOPS_COUNTING=proxy}): C1 only, one compiler thread. Reading a 2 MiB NIM answer to count its
   * images takes about 37 ms interpreted and 2.6 ms with C1, for +3-10 MiB of RSS (BENCHMARKS.md,
   * "Proxy counting").
   */
  public static final List<String> PROXY_JIT_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1");

  /**
   * The heap flags a proxy adds: the serial collector gives memory back after a burst, keeping at
   * most 20 % of the heap free. A proxy holds one handler thread and its buffers per open
   * connection; after 100 concurrent 2 MiB answers with C1 the heap stayed 18-21 MiB resident
   * without them and 13-14 MiB with them, the peak RSS 79.7 MiB against 69.8-70.6 MiB (one run
   * each, under load; BENCHMARKS.md, "Proxy counting").
   */
  public static final List<String> PROXY_HEAP_FLAGS =
      List.of("-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=20");

  /**
   * {@link #JVM_FLAGS} with {@code -Xint} replaced by {@link #PROXY_JIT_FLAGS}, then {@link
   * #PROXY_HEAP_FLAGS}.
   */
  public static final List<String> PROXY_JVM_FLAGS =
      Stream.concat(
              JVM_FLAGS.stream()
                  .flatMap(
                      flag -> flag.equals("-Xint") ? PROXY_JIT_FLAGS.stream() : Stream.of(flag)),
              PROXY_HEAP_FLAGS.stream())
          .toList();

  /**
   * The environment the image sets (metering/pom.xml, jib; a test there keeps its copy equal to
   * this map), so every pod has it whatever command it runs the image with. {@code
   * MALLOC_ARENA_MAX=2}: glibc gives each thread that mallocs an arena of its own, up to 8 per CPU,
   * and a proxy has a handler thread per open connection; two arenas kept 1.1-1.3 MiB less resident
   * after 100 concurrent 2 MiB answers (three runs each way, no CPU difference seen; BENCHMARKS.md,
   * "Proxy counting").
   */
  public static final Map<String, String> IMAGE_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  /** The sidecar's main class, as its image starts it. */
  public static final String MAIN_CLASS = "io.fluxops.metering.Main";

  /**
   * The classpath argument of the image's entrypoint: Jib writes the classpath to this file and
   * starts {@code java <JVM_FLAGS> -cp @/app/jib-classpath-file <MAIN_CLASS>} (seen in the image
   * config of {@code jib:buildTar}, Jib 3.4.6).
   */
  public static final String IMAGE_CLASSPATH = "@/app/jib-classpath-file";

  /**
   * The image's entrypoint with other JVM flags: what a pod's {@code command} sets to swap them.
   */
  public static List<String> imageCommand(List<String> jvmFlags) {
    return Stream.of(
            Stream.of("java"), jvmFlags.stream(), Stream.of("-cp", IMAGE_CLASSPATH, MAIN_CLASS))
        .flatMap(s -> s)
        .toList();
  }

  private MeteringSidecar() {}
}
