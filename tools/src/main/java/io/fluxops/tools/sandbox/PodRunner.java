package io.fluxops.tools.sandbox;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the processes of the pods the sandbox plays (the real metering sidecar, the stand-in server)
 * and answers what the load generator and the table ask of them. Two kinds: {@link
 * SimulatedKubelet}, which also schedules the pods on the mock API server, and {@link LocalPods},
 * which runs the pods a real control plane scheduled and KWOK started.
 */
abstract class PodRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PodRunner.class);

  /**
   * How a pod's processes are started: the sandbox's settings, and the HTTP client the simulated
   * clients send their requests with.
   */
  record PodRuntime(
      Path meteringJar,
      String licenceKeyFile,
      Path workDir,
      Duration startTime,
      Function<String, Duration> perImageByGpuType,
      HttpClient clients) {}

  final PodRuntime runtime;
  final Map<String, SimulatedPod> pods = new ConcurrentHashMap<>();
  final List<SimulatedPod> finished = new CopyOnWriteArrayList<>();
  final Map<String, String> gpuTypeByDeployment = new ConcurrentHashMap<>();
  private final Map<String, Long> firstPod = new ConcurrentHashMap<>();
  final ExecutorService containers =
      Executors.newCachedThreadPool(Threads.daemon("sandbox-containers"));

  PodRunner(PodRuntime runtime) {
    this.runtime = runtime;
  }

  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("sandbox-pods"));

  /** Starts watching for pods to run: {@link #tick()} four times a second. */
  void start() {
    loop.scheduleWithFixedDelay(this::safeTick, 0, 250, TimeUnit.MILLISECONDS);
  }

  /** One look at the API server: pods to make, start or stop. */
  abstract void tick();

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.debug("pods tick failed; retrying", e);
    }
  }

  /** Stops watching; {@link #close()} then stops the pods. */
  void stopWatching() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A pod to run from now on. */
  void add(SimulatedPod pod) {
    pods.put(key(pod.namespace, pod.name), pod);
    firstPod.putIfAbsent(key(pod.namespace, pod.deployment), pod.createdNanos);
  }

  /**
   * Starts the pod's processes on a container thread (a pod deleted meanwhile stops once they are
   * up); a failure stops what started and marks the pod FAILED.
   */
  void startContainers(SimulatedPod pod) {
    try {
      String gpuType = gpuTypeByDeployment.getOrDefault(key(pod.namespace, pod.deployment), "");
      pod.start(runtime, gpuType);
    } catch (Exception e) {
      if (pod.phase() != SimulatedPod.Phase.TERMINATING) {
        pod.failedStarts++;
        Duration backOff = restartBackOff(pod.failedStarts);
        pod.nextStartNanos = System.nanoTime() + backOff.toNanos();
        LOG.warn(
            "pod {} failed to start (try {}, next in {} s): {}",
            pod.name,
            pod.failedStarts,
            backOff.toSeconds(),
            e.toString());
        pod.phase.set(SimulatedPod.Phase.FAILED);
      }
    }
  }

  /**
   * How long a kubelet waits before it starts a pod's failed containers again: 10 s, doubled after
   * each failure, at most 5 minutes (its CrashLoopBackOff).
   */
  static Duration restartBackOff(int failedStarts) {
    int doublings = Math.min(Math.max(0, failedStarts - 1), 5);
    Duration backOff = Duration.ofSeconds(10L << doublings);
    return backOff.compareTo(MAX_RESTART_BACK_OFF) > 0 ? MAX_RESTART_BACK_OFF : backOff;
  }

  private static final Duration MAX_RESTART_BACK_OFF = Duration.ofMinutes(5);

  /** The pod is gone: it stops (work finished, sidecar flushed) on a container thread. */
  Future<?> remove(SimulatedPod pod, Runnable afterStop) {
    pods.remove(key(pod.namespace, pod.name));
    finished.add(pod);
    return containers.submit(
        () -> {
          pod.stop();
          afterStop.run();
        });
  }

  List<SimulatedPod> podsOf(String namespace, String deployment) {
    List<SimulatedPod> list = new ArrayList<>();
    for (SimulatedPod pod : pods.values()) {
      if (pod.namespace.equals(namespace) && pod.deployment.equals(deployment)) {
        list.add(pod);
      }
    }
    return list;
  }

  /** When the Deployment's first pod was made, in nanoTime; empty while it has had none. */
  Optional<Long> firstPod(String namespace, String deployment) {
    return Optional.ofNullable(firstPod.get(key(namespace, deployment)));
  }

  /** Ready stand-in servers of a Deployment, for the load generator (a Service's endpoints). */
  List<StandInServer> endpoints(String namespace, String deployment) {
    List<StandInServer> list = new ArrayList<>();
    for (SimulatedPod pod : podsOf(namespace, deployment)) {
      pod.servingServer().ifPresent(list::add);
    }
    return list;
  }

  /** One line per pod: name, phase, node, address, scheduler message. */
  List<String> describePods() {
    List<String> lines = new ArrayList<>();
    for (SimulatedPod pod : pods.values()) {
      lines.add(
          String.format(
              "%s %s node=%s address=%s %s",
              pod.name, pod.phase(), pod.node, pod.address, pod.message));
    }
    lines.sort(null);
    return lines;
  }

  /** Images generated by a Deployment's pods, those already gone included. */
  long generated(String namespace, String deployment) {
    long total = 0;
    for (SimulatedPod pod : pods.values()) {
      if (pod.namespace.equals(namespace) && pod.deployment.equals(deployment)) {
        total += pod.generated();
      }
    }
    for (SimulatedPod pod : finished) {
      if (pod.namespace.equals(namespace) && pod.deployment.equals(deployment)) {
        total += pod.generated();
      }
    }
    return total;
  }

  /** Pods of a Deployment that hold a GPU (placed, whether starting or ready). */
  int placed(String namespace, String deployment) {
    return (int)
        podsOf(namespace, deployment).stream()
            .filter(
                p ->
                    p.phase() == SimulatedPod.Phase.STARTING
                        || p.phase() == SimulatedPod.Phase.READY)
            .count();
  }

  /** Stops watching, then every pod as on node shutdown: work finished, sidecars flushed. */
  @Override
  public void close() {
    stopWatching();
    List<SimulatedPod> all = new ArrayList<>(pods.values());
    pods.clear();
    finished.addAll(all);
    List<Future<?>> stops = new ArrayList<>();
    for (SimulatedPod pod : all) {
      stops.add(containers.submit(pod::stop));
    }
    for (var stop : stops) {
      try {
        stop.get(90, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("a pod did not stop cleanly: {}", e.toString());
      }
    }
    containers.shutdown();
    try {
      containers.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    containers.shutdownNow();
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
