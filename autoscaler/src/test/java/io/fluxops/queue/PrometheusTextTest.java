package io.fluxops.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void sumsEverySeriesOfTheMetricWhateverItsLabels() throws Exception {
    // The page's syntax is the shared reader's (common's PrometheusTextTest); here, the sum.
    String page = "q{state=\"queued\"} 1.5\nq_total 100\nq{state=\"running\"} 2\n";
    assertThat(PrometheusText.sum(page, MetricSelector.parse("q"))).isEqualTo(3.5);
  }

  @Test
  void readsEscapedLabelValuesAndMatchesOnThem() throws Exception {
    String page = "q{path=\"C:\\\\tmp\",msg=\"say \\\"hi\\\"\\n\",} 4\nq{path=\"other\"} 1\n";
    assertThat(PrometheusText.sum(page, new MetricSelector("q", Map.of("path", "C:\\tmp"))))
        .isEqualTo(4);
    assertThat(PrometheusText.parseSample("q{msg=\"say \\\"hi\\\"\\n\"} 4").labels())
        .containsEntry("msg", "say \"hi\"\n");
  }

  @Test
  void aMissingMetricOrABadValueIsAnErrorNotZero() {
    assertThatThrownBy(() -> PrometheusText.sum("other 1\n", MetricSelector.parse("q")))
        .isInstanceOf(QueueFormatException.class)
        .hasMessageContaining("no sample of q");
    assertThatThrownBy(() -> PrometheusText.sum("q NaN\n", MetricSelector.parse("q")))
        .hasMessageContaining("has the value NaN");
    assertThatThrownBy(() -> PrometheusText.sum("q{a=\"1\" 3\n", MetricSelector.parse("q")))
        .hasMessageContaining("line 1");
    assertThatThrownBy(() -> PrometheusText.sum("q three\n", MetricSelector.parse("q")))
        .hasMessageContaining("'three' is not a number");
  }

  @Test
  void selectorsAreWrittenAsInPromQl() {
    MetricSelector selector = MetricSelector.parse("flux_queue_depth{state=\"queued\"}");
    assertThat(selector.name()).isEqualTo("flux_queue_depth");
    assertThat(selector.labels()).containsExactly(Map.entry("state", "queued"));
    assertThatThrownBy(() -> MetricSelector.parse("9lives"))
        .hasMessageContaining("is not a selector");
  }
}
