package io.fluxops.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import io.fluxops.deploy.support.HelmChart;
import org.junit.jupiter.api.Test;

class ChartLintTest {

  @Test
  void passesHelmLintStrictWithNoWarning() {
    LintResult result = HelmChart.lintStrict();

    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]"));
  }
}
