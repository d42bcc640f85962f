package io.fluxops.tools.simulate;

import io.fluxops.autoscale.Replicas;
import io.fluxops.common.FluxModel;
import io.fluxops.common.GpuType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A discrete-event simulation of GPU pods serving a trace from one shared FIFO queue (the job-queue
 * pattern: an idle pod takes the oldest waiting image).
 *
 * <p>Pods take the profile's start-up time before they serve, and hold a GPU from creation. A pod
 * removed while generating finishes its image first, as a graceful shutdown would. Pods are removed
 * the way a ReplicaSet picks them: starting pods first, then idle ones, then busy ones, newest
 * first within each group. The run ends when the trace is over and the last image is done.
 */
public final class Simulator {

  /** Where simulated time starts; the value is arbitrary but fixed, so runs repeat exactly. */
  public static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");

  private final GpuType gpu;
  private final double secondsPerImage;
  private final double podStartSeconds;
  private final EngineBuild engineBuild;
  private final double sloSeconds;

  /**
   * A simulator for one GPU type, with the profile's pod start-up time.
   *
   * @param gpu service and start-up times
   * @param engineBuild which pod starts also build a TensorRT engine
   * @param sloSeconds the wait an image should not exceed, for {@link
   *     SimulationResult#shareOverSlo()}
   */
  public Simulator(GpuType gpu, EngineBuild engineBuild, double sloSeconds) {
    this(gpu, gpu.modelLoadSeconds(), engineBuild, sloSeconds);
  }

  /**
   * A simulator for one GPU type with another pod start-up time, for sensitivity runs.
   *
   * @param podStartSeconds seconds from pod creation to ready when no engine is built: scheduling,
   *     container start and model load
   */
  public Simulator(
      GpuType gpu, double podStartSeconds, EngineBuild engineBuild, double sloSeconds) {
    this(gpu, gpu.secondsPerImage(), podStartSeconds, engineBuild, sloSeconds);
  }

  /** A simulator for images of {@code model}, whose step count sets the time per image. */
  public static Simulator forModel(
      GpuType gpu, FluxModel model, EngineBuild engineBuild, double sloSeconds) {
    return new Simulator(
        gpu, gpu.secondsPerImage(model), gpu.modelLoadSeconds(), engineBuild, sloSeconds);
  }

  private Simulator(
      GpuType gpu,
      double secondsPerImage,
      double podStartSeconds,
      EngineBuild engineBuild,
      double sloSeconds) {
    this.gpu = Objects.requireNonNull(gpu, "gpu");
    this.secondsPerImage = secondsPerImage;
    if (!(podStartSeconds >= 0)) {
      throw new IllegalArgumentException("pod start must be >= 0 s: " + podStartSeconds);
    }
    this.podStartSeconds = podStartSeconds;
    this.engineBuild = Objects.requireNonNull(engineBuild, "engineBuild");
    this.sloSeconds = sloSeconds;
  }

  /** Seconds from pod creation to ready when no engine is built. */
  public double podStartSeconds() {
    return podStartSeconds;
  }

  /** Replays {@code trace} with pods sized by {@code strategy}. */
  public SimulationResult run(Trace trace, ScalingStrategy strategy) {
    return new Run(trace, strategy).execute();
  }

  private enum Kind {
    // Order matters at equal times: free capacity first, then new work, then the poll sees both.
    DONE,
    READY,
    ARRIVAL,
    POLL
  }

  private record Event(double at, Kind kind, long seq, Pod pod, int images) {}

  private static final class Pod {
    final double createdAt;
    final long order;
    boolean ready;
    boolean busy;
    boolean removing;
    double stoppedAt = Double.NaN;

    Pod(double createdAt, long order) {
      this.createdAt = createdAt;
      this.order = order;
    }

    boolean active() {
      return !removing && Double.isNaN(stoppedAt);
    }
  }

  /** One replay; holds the mutable state so the simulator itself stays reusable. */
  private final class Run {
    private final Trace trace;
    private final ScalingStrategy strategy;
    private final PriorityQueue<Event> events =
        new PriorityQueue<>(
            Comparator.comparingDouble(Event::at)
                .thenComparing(Event::kind)
                .thenComparingLong(Event::seq));
    private final List<Pod> pods = new ArrayList<>();
    private final Deque<Double> queue = new ArrayDeque<>();
    private final double[] waits;
    private int served;
    private long seq;
    private int running;
    private long completed;
    private int podStarts;
    private int peak;
    private boolean engineCached;
    private double lastDone;

    Run(Trace trace, ScalingStrategy strategy) {
      this.trace = trace;
      this.strategy = strategy;
      this.waits = new double[Math.toIntExact(trace.images())];
    }

    SimulationResult execute() {
      for (int i = 0; i < strategy.initialReplicas(warmReplicas(trace)); i++) {
        Pod pod = new Pod(0, seq++);
        pod.ready = true;
        pods.add(pod);
      }
      engineCached = !pods.isEmpty();
      peak = pods.size();
      for (Trace.Arrival arrival : trace.arrivals()) {
        schedule(arrival.atSecond(), Kind.ARRIVAL, null, arrival.images());
      }
      schedule(0, Kind.POLL, null, 0);
      double now = 0;
      while (!events.isEmpty()) {
        Event event = events.poll();
        now = event.at();
        if (event.kind() == Kind.POLL && finished(now)) {
          break;
        }
        handle(event, now);
      }
      double end = Math.max(trace.durationSeconds(), lastDone);
      return result(end);
    }

    private boolean finished(double now) {
      return now >= trace.durationSeconds() && queue.isEmpty() && running == 0;
    }

    private void handle(Event event, double now) {
      switch (event.kind()) {
        case ARRIVAL -> {
          for (int i = 0; i < event.images(); i++) {
            queue.add(now);
          }
        }
        case READY -> {
          if (Double.isNaN(event.pod().stoppedAt)) {
            event.pod().ready = true;
            engineCached = true;
          }
        }
        case DONE -> finish(event.pod(), now);
        case POLL -> {
          poll(now);
          schedule(now + strategy.pollSeconds(), Kind.POLL, null, 0);
        }
      }
      dispatch(now);
    }

    private void finish(Pod pod, double now) {
      pod.busy = false;
      running--;
      completed++;
      lastDone = Math.max(lastDone, now);
      if (pod.removing) {
        pod.stoppedAt = now;
      }
    }

    private void dispatch(double now) {
      for (Pod pod : pods) {
        if (queue.isEmpty()) {
          return;
        }
        if (pod.active() && pod.ready && !pod.busy) {
          waits[served++] = now - queue.poll();
          pod.busy = true;
          running++;
          schedule(now + secondsPerImage, Kind.DONE, pod, 0);
        }
      }
    }

    private void poll(double now) {
      int current = 0;
      int ready = 0;
      for (Pod pod : pods) {
        if (pod.active()) {
          current++;
          ready += pod.ready ? 1 : 0;
        }
      }
      Instant at = EPOCH.plusMillis(Math.round(now * 1000));
      int desired =
          strategy.poll(
              at, queue.size() + running, new Replicas(current, ready, current - ready), completed);
      if (desired > current) {
        grow(desired - current, now);
      } else if (desired < current) {
        shrink(current - desired, now);
      }
      peak = Math.max(peak, desired);
    }

    private void grow(int count, double now) {
      for (int i = 0; i < count; i++) {
        Pod pod = new Pod(now, seq++);
        pods.add(pod);
        podStarts++;
        schedule(now + startupSeconds(), Kind.READY, pod, 0);
      }
    }

    private double startupSeconds() {
      boolean build =
          engineBuild == EngineBuild.EVERY_POD
              || (engineBuild == EngineBuild.FIRST_POD && !engineCached);
      return podStartSeconds + (build ? gpu.engineBuildSeconds() : 0);
    }

    private void shrink(int count, double now) {
      List<Pod> candidates = new ArrayList<>();
      for (Pod pod : pods) {
        if (pod.active()) {
          candidates.add(pod);
        }
      }
      candidates.sort(
          Comparator.comparingInt((Pod pod) -> pod.ready ? (pod.busy ? 2 : 1) : 0)
              .thenComparing(Comparator.comparingLong((Pod pod) -> pod.order).reversed()));
      for (Pod pod : candidates.subList(0, count)) {
        pod.removing = true;
        if (!pod.busy) {
          pod.stoppedAt = now;
        }
      }
    }

    private void schedule(double at, Kind kind, Pod pod, int images) {
      events.add(new Event(at, kind, seq++, pod, images));
    }

    private SimulationResult result(double end) {
      double gpuSeconds = 0;
      for (Pod pod : pods) {
        double stop = Double.isNaN(pod.stoppedAt) ? end : pod.stoppedAt;
        gpuSeconds += stop - pod.createdAt;
      }
      double[] sorted = Arrays.copyOf(waits, served);
      Arrays.sort(sorted);
      long over = Arrays.stream(sorted).filter(wait -> wait > sloSeconds).count();
      return new SimulationResult(
          strategy.name(),
          trace.name(),
          served,
          gpuSeconds / 3600,
          percentile(sorted, 0.50),
          percentile(sorted, 0.95),
          served == 0 ? 0 : (double) over / served,
          peak,
          podStarts);
    }
  }

  /**
   * The pods the first ten minutes of a trace keep busy, rounded up: runs start warm, as a system
   * that had been serving that load would be, so a steady trace does not begin with a cold start.
   */
  int warmReplicas(Trace trace) {
    double window = Math.min(600, trace.durationSeconds());
    long images =
        trace.arrivals().stream()
            .filter(arrival -> arrival.atSecond() < window)
            .mapToLong(Trace.Arrival::images)
            .sum();
    return (int) Math.ceil(images * secondsPerImage / window - 1e-9);
  }

  /** Nearest-rank percentile of sorted values; 0 when there are none. */
  static double percentile(double[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
