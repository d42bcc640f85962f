package io.fluxops.metering.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void readsDelaySeconds() {
    assertThat(RetryAfter.parse("120", clock)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", clock)).contains(Duration.ZERO);
  }

  @Test
  void readsAnHttpDate() {
    assertThat(RetryAfter.parse("Sat, 21 Nov 2026 12:00:30 GMT", clock))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void aDateInThePastMeansNow() {
    assertThat(RetryAfter.parse("Sat, 21 Nov 2026 11:00:00 GMT", clock)).contains(Duration.ZERO);
  }

  @Test
  void ignoresGarbage() {
    assertThat(RetryAfter.parse("soon", clock)).isEmpty();
    assertThat(RetryAfter.parse("-5", clock)).isEmpty();
    assertThat(RetryAfter.parse("1.5", clock)).isEmpty();
  }
}
