package io.fluxops.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxops.common.PrometheusText.Sample;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void readsEverySampleOfTheMetricAndSkipsCommentsAndOtherMetrics() throws Exception {
    String page =
        "# HELP flux_queue_depth Queue.\n"
            + "# TYPE flux_queue_depth gauge\n"
            + "flux_queue_depth{a=\"x\"} 1.5\n"
            + "flux_queue_depth_total 100\n"
            + "flux_queue_depth 2e0 1700000000000\n"
            + "\n";
    assertThat(PrometheusText.samples(page, "flux_queue_depth"))
        .containsExactly(
            new Sample("flux_queue_depth", Map.of("a", "x"), 1.5),
            new Sample("flux_queue_depth", Map.of(), 2.0));
  }

  @Test
  void readsEscapedLabelValuesAndBracesInsideThem() throws Exception {
    assertThat(
            PrometheusText.parseSample("q{msg=\"say \\\"hi\\\"\\n\",p=\"C:\\\\tmp\"} 4").labels())
        .containsEntry("msg", "say \"hi\"\n")
        .containsEntry("p", "C:\\tmp");
    assertThat(PrometheusText.samples("c{note=\"a } in \\\"quotes\\\"\"} 40\n", "c"))
        .extracting(Sample::value)
        .containsExactly(40.0);
  }

  @Test
  void aMalformedLineOfTheMetricIsAnErrorThatNamesTheLine() {
    assertThatThrownBy(() -> PrometheusText.samples("ok 1\nq{a=\"1\" 3\n", "q"))
        .isInstanceOf(PrometheusText.FormatException.class)
        .hasMessageStartingWith("line 2: ");
    assertThatThrownBy(() -> PrometheusText.samples("q three\n", "q"))
        .hasMessageContaining("'three' is not a number");
    assertThatThrownBy(() -> PrometheusText.samples("q 1 2.5\n", "q"))
        .hasMessageContaining("unexpected text after the value");
  }

  @Test
  void aMalformedLineOfAnotherMetricDoesNotStopTheOneAskedFor() throws Exception {
    String page = "other_total 17 # {trace_id=\"KOO5S4vxi0o\"} 0.67\nq 3\n";
    assertThat(PrometheusText.samples(page, "q")).extracting(Sample::value).containsExactly(3.0);
  }

  @Test
  void specialValuesAreRead() throws Exception {
    assertThat(PrometheusText.samples("q NaN\nq +Inf\nq -Inf\n", "q"))
        .extracting(Sample::value)
        .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
  }

  @Test
  void namesFollowThePrometheusRule() {
    assertThat(PrometheusText.isMetricName("flux_queue_depth")).isTrue();
    assertThat(PrometheusText.isMetricName("ns:metric")).isTrue();
    assertThat(PrometheusText.isMetricName("9lives")).isFalse();
  }
}
