package io.fluxops.tools.simulate;

import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.common.GpuType;

/**
 * The entry points for sizing questions, such as the {@code plan} command's: how many GPU-hours a
 * trace costs on a GPU type under a policy, and how long images wait.
 */
public final class Simulations {

  /** The queue wait an image should not exceed, in seconds. */
  public static final double DEFAULT_SLO_SECONDS = 60;

  private Simulations() {}

  /**
   * Replays {@code trace} through FluxOps' scaler with {@code policy} on {@code gpu}, polled every
   * 5 s, with cached engines.
   */
  public static SimulationResult simulate(Trace trace, GpuType gpu, ScalingPolicy policy) {
    return simulator(gpu, EngineBuild.NEVER)
        .run(
            trace,
            new AutoscalerStrategy(
                policy,
                Benchmark.priors(gpu),
                AutoscalerStrategy.DEFAULT_POLL_SECONDS,
                AutoscalerStrategy.DEFAULT_COUNT_SECONDS));
  }

  /** A simulator for {@code gpu} that measures waits against {@link #DEFAULT_SLO_SECONDS}. */
  public static Simulator simulator(GpuType gpu, EngineBuild engineBuild) {
    return new Simulator(gpu, engineBuild, DEFAULT_SLO_SECONDS);
  }

  /** The lower bound: GPU-hours of the generation work itself, with no idle or start-up time. */
  public static double oracleGpuHours(Trace trace, GpuType gpu) {
    return trace.images() * gpu.secondsPerImage() / 3600;
  }

  /**
   * A tighter, still unreachable bound: GPU-hours of a clairvoyant that knows how many images
   * arrive in each {@code bucketSeconds} slice, has exactly enough whole replicas for them in that
   * slice, starts them instantly and keeps no headroom. It shows what whole GPUs alone cost over
   * the oracle.
   */
  public static double clairvoyantGpuHours(Trace trace, GpuType gpu, double bucketSeconds) {
    int buckets = (int) Math.ceil(trace.durationSeconds() / bucketSeconds);
    long[] images = new long[Math.max(1, buckets)];
    for (Trace.Arrival arrival : trace.arrivals()) {
      images[Math.min(images.length - 1, (int) (arrival.atSecond() / bucketSeconds))] +=
          arrival.images();
    }
    double replicaSeconds = 0;
    for (long count : images) {
      replicaSeconds += Math.ceil(count * gpu.secondsPerImage() / bucketSeconds - 1e-9);
    }
    return replicaSeconds * bucketSeconds / 3600;
  }

  /**
   * The fewest always-on pods that keep at least {@code withinSlo} of images within the SLO, up to
   * {@code maxReplicas}; the result of that run. This is provisioning for the peak, found by
   * simulation rather than guessed.
   */
  public static SimulationResult fixedAtPeak(
      Trace trace, Simulator simulator, int maxReplicas, double withinSlo) {
    int low = 1;
    int high = maxReplicas;
    while (low < high) {
      int mid = (low + high) / 2;
      if (simulator.run(trace, new FixedStrategy(mid)).shareWithinSlo() >= withinSlo) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return simulator.run(trace, new FixedStrategy(low));
  }
}
