package io.fluxops.tools.sandbox;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SIMULATED: clients asking for images. Each FluxDeployment gets a steady trickle, and a burst from
 * {@code burstStart} to {@code burstEnd}, repeated every {@code period} unless it is zero; requests
 * go, as through a Service that balances on outstanding requests, to the ready pod with the
 * shortest queue. A request with no ready pod waits on the client side and is sent once one is.
 */
final class LoadGenerator implements AutoCloseable {

  /** Images per second for one FluxDeployment, outside and during the burst. */
  record Load(String namespace, String deployment, double quietPerSecond, double burstPerSecond) {}

  private static final long TICK_MILLIS = 100;

  private final PodRunner kubelet;
  private final List<Load> loads;
  private final long startNanos = System.nanoTime();
  private final Duration burstStart;
  private final Duration burstEnd;
  private final Duration period;
  private final Map<String, Double> owed = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("sandbox-load"));
  private volatile boolean stopped;

  LoadGenerator(
      PodRunner kubelet,
      List<Load> loads,
      Duration burstStart,
      Duration burstEnd,
      Duration period) {
    this.kubelet = kubelet;
    this.loads = List.copyOf(loads);
    this.burstStart = burstStart;
    this.burstEnd = burstEnd;
    this.period = period;
  }

  void start() {
    loop.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** "burst" or "quiet", for the table. */
  String phase() {
    if (stopped) {
      return "stopped";
    }
    long elapsed = System.nanoTime() - startNanos;
    if (!period.isZero()) {
      elapsed %= period.toNanos();
    }
    return elapsed >= burstStart.toNanos() && elapsed < burstEnd.toNanos() ? "burst" : "quiet";
  }

  long sent(String deployment) {
    AtomicLong count = sent.get(deployment);
    return count == null ? 0 : count.get();
  }

  /** Requests asked for but not yet accepted by a pod. */
  long waiting(String deployment) {
    return (long) Math.floor(owed.getOrDefault(deployment, 0.0));
  }

  private void tick() {
    if (stopped) {
      return;
    }
    boolean burst = phase().equals("burst");
    for (Load load : loads) {
      double rate = burst ? load.burstPerSecond() : load.quietPerSecond();
      double due = owed.merge(load.deployment(), rate * TICK_MILLIS / 1000.0, Double::sum);
      List<StandInServer> endpoints = kubelet.endpoints(load.namespace(), load.deployment());
      while (due >= 1 && !endpoints.isEmpty()) {
        StandInServer target =
            endpoints.stream().min(Comparator.comparingInt(StandInServer::queueDepth)).get();
        if (!target.submit()) {
          break;
        }
        due -= 1;
        sent.computeIfAbsent(load.deployment(), d -> new AtomicLong()).incrementAndGet();
      }
      owed.put(load.deployment(), due);
    }
  }

  /**
   * Stops asking; requests still waiting on the client side are dropped (never sent, never made).
   */
  @Override
  public void close() {
    stopped = true;
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
