package io.fluxops.metering.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = Backoff.upTo(Duration.ofSeconds(60));
  private final SplittableRandom random = new SplittableRandom(42);

  @Test
  void doublesFromOneSecondWithJitterBetweenHalfAndTheCap() {
    for (int failures = 1; failures <= 6; failures++) {
      Duration cap = Duration.ofSeconds(1L << (failures - 1));
      for (int i = 0; i < 100; i++) {
        Duration delay = backoff.delay(failures, Optional.empty(), random);
        assertThat(delay).isBetween(cap.dividedBy(2), cap);
      }
    }
  }

  @Test
  void neverExceedsTheMaximumHoweverManyFailures() {
    for (int failures : new int[] {7, 10, 31, 1000, Integer.MAX_VALUE}) {
      assertThat(backoff.delay(failures, Optional.empty(), random))
          .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
    }
  }

  @Test
  void jitterSpreadsRetries() {
    long distinct =
        java.util.stream.IntStream.range(0, 50)
            .mapToObj(i -> backoff.delay(3, Optional.empty(), random))
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(40);
  }

  @Test
  void waitsAtLeastAsLongAsRetryAfterAsks() {
    assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(30)), random))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.delay(8, Optional.of(Duration.ZERO), random))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void capsAnAbsurdRetryAfterAtAnHour() {
    assertThat(backoff.delay(1, Optional.of(Duration.ofDays(3)), random))
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aSmallMaximumAlsoCapsTheFirstWait() {
    Backoff fast = Backoff.upTo(Duration.ofMillis(100));
    assertThat(fast.delay(1, Optional.empty(), random))
        .isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
  }
}
