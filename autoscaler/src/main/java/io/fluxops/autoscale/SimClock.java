package io.fluxops.autoscale;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock moved by hand, so that the real scaler runs on simulated time: the simulator's (in the
 * tools module) or a test's.
 */
public final class SimClock extends Clock {

  private Instant now;

  /** A clock standing at {@code start}. */
  public SimClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock to {@code instant}. */
  public void set(Instant instant) {
    this.now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("simulated time has no zone");
  }
}
