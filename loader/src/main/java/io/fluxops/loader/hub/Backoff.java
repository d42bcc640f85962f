package io.fluxops.loader.hub;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Waits between tries: exponential from half a second, capped, with jitter (a random half of the
 * wait) so that loaders that failed together do not retry together.
 */
public final class Backoff {
  /** Sleeps; tests replace it to run retries without waiting. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private static final Duration BASE = Duration.ofMillis(500);

  private final Duration max;
  private final RandomGenerator random;
  private final Sleeper sleeper;

  public Backoff(Duration max, RandomGenerator random, Sleeper sleeper) {
    this.max = max;
    this.random = random;
    this.sleeper = sleeper;
  }

  /** The wait before try {@code attempt + 1} (attempt counts from 1), at least {@code floor}. */
  Duration delay(int attempt, Duration floor) {
    long ceiling = BASE.toNanos() << Math.min(attempt - 1, 30);
    long capped = Math.min(ceiling, max.toNanos());
    long jittered = random.nextLong(capped / 2, capped + 1);
    return Duration.ofNanos(Math.min(Math.max(jittered, floor.toNanos()), max.toNanos()));
  }

  void pause(int attempt, Duration floor) throws InterruptedException {
    sleeper.sleep(delay(attempt, floor));
  }
}
