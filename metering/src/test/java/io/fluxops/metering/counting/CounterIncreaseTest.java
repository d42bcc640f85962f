package io.fluxops.metering.counting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterIncreaseTest {
  @Test
  void countsTheDifferenceOfTwoReadings() {
    assertThat(CounterIncrease.between(40, 45)).isEqualTo(5);
    assertThat(CounterIncrease.between(45, 45)).isZero();
  }

  @Test
  void theFirstReadingCountsEverythingSinceTheServerStarted() {
    assertThat(CounterIncrease.between(Double.NaN, 12)).isEqualTo(12);
  }

  @Test
  void aCounterThatWentDownWasResetAndCountsFromZero() {
    assertThat(CounterIncrease.between(1000, 3)).isEqualTo(3);
    assertThat(CounterIncrease.between(1000, 0)).isZero();
  }
}
