package io.fluxops.tools.simulate;

import java.util.List;
import java.util.Objects;

/**
 * A recorded or generated workload: image requests arriving over a stretch of time.
 *
 * @param name what the trace represents, e.g. {@code bursty}
 * @param durationSeconds how long the trace lasts; arrivals all fall inside it
 * @param arrivals requests in time order
 */
public record Trace(String name, double durationSeconds, List<Arrival> arrivals) {

  /** Some images asked for at one instant. */
  public record Arrival(double atSecond, int images) {
    /** Validates the arrival. */
    public Arrival {
      if (atSecond < 0 || images < 1) {
        throw new IllegalArgumentException(
            "an arrival needs a time >= 0 and at least one image: " + atSecond + "," + images);
      }
    }
  }

  /** Validates order and bounds, and copies the arrivals. */
  public Trace {
    Objects.requireNonNull(name, "name");
    arrivals = List.copyOf(arrivals);
    double previous = 0;
    for (Arrival arrival : arrivals) {
      if (arrival.atSecond() < previous || arrival.atSecond() > durationSeconds) {
        throw new IllegalArgumentException(
            "trace " + name + ": arrivals must be in time order within " + durationSeconds + " s");
      }
      previous = arrival.atSecond();
    }
  }

  /** All images in the trace. */
  public long images() {
    return arrivals.stream().mapToLong(Arrival::images).sum();
  }
}
