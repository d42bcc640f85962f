package io.fluxops.operator.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CostWindowTest {

  private Instant now = Instant.parse("2026-05-01T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void costPerImageIsGpuHoursTimesPriceOverImages() {
    // REFERENCE.md: an RTX 4090 at $0.69/h makes about 250 images an hour: $0.00276 per image.
    CostWindow window = new CostWindow(clock);
    window.record(0, 1);
    now = now.plus(Duration.ofHours(1));
    window.record(250, 1);

    var figures = window.figures(0.69, 0.04).orElseThrow();

    assertThat(figures.costPerImageUsd())
        .hasValueSatisfying(c -> assertThat(c).isCloseTo(0.00276, within(1e-9)));
    assertThat(figures.imagesPerSecond()).isCloseTo(250 / 3600.0, within(1e-9));
    assertThat(figures.gpuUsdPerHour()).isCloseTo(0.69, within(1e-9));
    // 250 images an hour for 30 days: $7,200 on the API against $496.80 of GPU time.
    assertThat(figures.projectedMonthlySavingUsd()).isCloseTo(7200 - 496.8, within(1e-6));
  }

  @Test
  void gpusAreCountedForTheTimeTheyWereHeld() {
    CostWindow window = new CostWindow(clock);
    window.record(0, 2);
    now = now.plus(Duration.ofMinutes(30));
    window.record(100, 4); // 2 GPUs for the first half hour, 4 from here on
    now = now.plus(Duration.ofMinutes(30));
    window.record(300, 4);

    var figures = window.figures(1.0, 0.04).orElseThrow();

    assertThat(figures.gpuUsdPerHour()).isCloseTo(3.0, within(1e-9));
    assertThat(figures.costPerImageUsd())
        .hasValueSatisfying(c -> assertThat(c).isCloseTo(0.01, within(1e-9)));
  }

  @Test
  void forgetsWhatIsOlderThanTheWindow() {
    CostWindow window = new CostWindow(clock, Duration.ofMinutes(10));
    window.record(0, 8);
    for (int i = 1; i <= 20; i++) {
      now = now.plus(Duration.ofMinutes(1));
      window.record(i <= 10 ? 0 : (i - 10) * 60L, 1);
    }

    var figures = window.figures(1.0, 0.04).orElseThrow();

    // The 8-GPU minute and the idle minutes are gone: the last ten minutes made one image a second.
    assertThat(figures.imagesPerSecond()).isCloseTo(1.0, within(1e-9));
    assertThat(figures.gpuUsdPerHour()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void noImagesMeansNoCostPerImageButASaving() {
    CostWindow window = new CostWindow(clock);
    assertThat(window.figures(0.69, 0.04)).isEmpty();
    window.record(42, 1);
    now = now.plus(Duration.ofHours(1));
    window.record(42, 1);

    var figures = window.figures(0.69, 0.04).orElseThrow();

    assertThat(figures.costPerImageUsd()).isEmpty();
    assertThat(figures.imagesPerSecond()).isZero();
    assertThat(figures.projectedMonthlySavingUsd()).isCloseTo(-0.69 * 720, within(1e-6));
  }
}
