package io.fluxops.metering.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  private static final String BODY =
      """
      # HELP flux_images_generated_total Images generated.
      # TYPE flux_images_generated_total counter
      flux_images_generated_total{pipeline="t2i",note="a } in \\"quotes\\""} 40
      flux_images_generated_total{pipeline="kontext"} 2.0 1700000000000
      flux_images_generated_total_created{pipeline="t2i"} 1.7e9
      flux_images_generated_totalx 99
      flux_queue_depth 3
      """;

  @Test
  void sumsEverySeriesOfTheCounter() {
    assertThat(PrometheusText.sum(BODY, "flux_images_generated_total")).hasValue(42.0);
  }

  @Test
  void readsAnUnlabelledSample() {
    assertThat(PrometheusText.sum(BODY, "flux_queue_depth")).hasValue(3.0);
  }

  @Test
  void isEmptyWhenTheMetricIsMissing() {
    assertThat(PrometheusText.sum(BODY, "flux_images")).isEmpty();
  }

  @Test
  void rejectsValuesACounterCannotHave() {
    assertThatThrownBy(() -> PrometheusText.sum("c NaN\n", "c"))
        .isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> PrometheusText.sum("c -1\n", "c"))
        .isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> PrometheusText.sum("c{a=\"b\" 1\n", "c"))
        .isInstanceOf(NumberFormatException.class);
  }
}
