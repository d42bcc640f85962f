package io.fluxops.metering.counting;

/**
 * How many images a change of the inference server's counter stands for. Counters only go up; one
 * that went down was reset by a server restart and counts again from zero, so everything it shows
 * is new.
 */
final class CounterIncrease {
  private CounterIncrease() {}

  /**
   * Images generated between two readings.
   *
   * @param previous the last reading, or NaN before the first: the sidecar starts before the
   *     inference server, so the first reading holds only images not yet counted
   * @param current the new reading
   */
  static long between(double previous, double current) {
    long now = (long) Math.floor(current);
    if (Double.isNaN(previous) || current < previous) {
      return now;
    }
    return now - (long) Math.floor(previous);
  }
}
