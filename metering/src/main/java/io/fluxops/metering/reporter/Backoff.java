package io.fluxops.metering.reporter;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with equal jitter: after the n-th failure in a row, a wait between
 * half and all of {@code min(max, initial * 2^(n-1))}, never shorter than BFL's {@code Retry-After}
 * (itself capped, so a bad header cannot stall reporting for days). Jitter keeps the sidecars of
 * many pods from retrying in step after a BFL outage.
 *
 * @param initial the cap after the first failure
 * @param max the largest cap
 * @param maxRetryAfter the longest {@code Retry-After} honoured
 */
public record Backoff(Duration initial, Duration max, Duration maxRetryAfter) {

  /** The production schedule: from one second up to {@code max}; Retry-After up to an hour. */
  public static Backoff upTo(Duration max) {
    Duration initial = max.compareTo(Duration.ofSeconds(1)) < 0 ? max : Duration.ofSeconds(1);
    return new Backoff(initial, max, Duration.ofHours(1));
  }

  /** The wait after {@code failures} (at least 1) failures in a row. */
  public Duration delay(int failures, Optional<Duration> retryAfter, RandomGenerator random) {
    int doublings = Math.min(Math.max(failures, 1) - 1, 30);
    long capNanos = Math.min(max.toNanos(), saturatedShift(initial.toNanos(), doublings));
    long half = capNanos / 2;
    Duration jittered = Duration.ofNanos(half + (long) (random.nextDouble() * (capNanos - half)));
    if (retryAfter.isEmpty()) {
      return jittered;
    }
    Duration asked =
        retryAfter.get().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter.get();
    return asked.compareTo(jittered) > 0 ? asked : jittered;
  }

  private static long saturatedShift(long value, int shift) {
    return value > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : value << shift;
  }
}
