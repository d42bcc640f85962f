package io.fluxops.tools.simulate;

import io.fluxops.autoscale.Replicas;
import java.time.Instant;

/** A way of sizing the pods, polled by the {@link Simulator} at its own interval. */
public interface ScalingStrategy {

  /** A short name for reports. */
  String name();

  /** Seconds between polls. */
  double pollSeconds();

  /**
   * Ready pods already running when the trace starts.
   *
   * @param warm the pods the trace's opening load needs, as a system that had been running would
   *     have; a strategy clamps it to its own range, or ignores it when it sizes by other means
   */
  int initialReplicas(int warm);

  /**
   * Decides the size at one poll.
   *
   * @param now simulated time
   * @param queueDepth queued plus running images
   * @param replicas the pods now: asked for, ready and starting
   * @return the number of pods to have
   */
  int poll(Instant now, double queueDepth, Replicas replicas);

  /**
   * Decides the size at one poll, knowing how many images the pods have finished so far (the
   * per-pod counts the operator reads from the metering sidecars, summed).
   *
   * @param completed images finished since the start of the trace
   */
  default int poll(Instant now, double queueDepth, Replicas replicas, long completed) {
    return poll(now, queueDepth, replicas);
  }
}
