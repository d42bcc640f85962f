package io.fluxops.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.deploy.support.RepoFiles;
import io.fluxops.deploy.support.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules (charts/fluxops/files/alerts.yaml) are valid for Prometheus, and each fires on
 * the series it is for and stays quiet on the ones it is not (promtool test rules, with the input
 * series and expected alerts in src/test/resources/promtool/alerts-test.yaml).
 */
@SuppressWarnings("unchecked")
class AlertRulesTest {

  static final String RULES = "charts/fluxops/files/alerts.yaml";
  private static final Path TESTS = Path.of("src/test/resources/promtool/alerts-test.yaml");

  @TempDir Path work;

  @Test
  void rulesAreValidForPrometheus() throws Exception {
    var result = Promtool.run(work, "check", "rules", RepoFiles.path(RULES).toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + alerts().size() + " rules found");
  }

  @Test
  void everyAlertFiresOnItsSeriesAndNotOnOthers() throws Exception {
    // The runbooks are prose; the unit tests compare the summary, and the other annotations are
    // checked for presence below. So the tests run against the rules with only their summaries.
    Files.writeString(work.resolve("alerts.yaml"), Yaml.write(withSummariesOnly()));
    Files.copy(TESTS, work.resolve("alerts-test.yaml"));

    var result = Promtool.run(work, "test", "rules", "alerts-test.yaml");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() {
    Map<String, Object> tests = Yaml.map(read(TESTS));
    Map<String, List<Integer>> expected =
        ((List<Map<String, Object>>) tests.get("tests"))
            .stream()
                .flatMap(t -> ((List<Map<String, Object>>) t.get("alert_rule_test")).stream())
                .collect(
                    Collectors.groupingBy(
                        c -> (String) c.get("alertname"),
                        Collectors.mapping(
                            c -> ((List<?>) c.get("exp_alerts")).size(), Collectors.toList())));

    assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(alerts().keySet());
    expected.forEach(
        (alert, counts) ->
            assertThat(counts).as(alert).contains(0).anySatisfy(n -> assertThat(n).isPositive()));
  }

  @Test
  void everyAlertHasARunbook() {
    alerts()
        .forEach(
            (name, rule) -> {
              Map<String, String> annotations = (Map<String, String>) rule.get("annotations");
              assertThat(annotations)
                  .as(name)
                  .containsKeys("summary", "description", "runbook")
                  .allSatisfy((k, v) -> assertThat(v).as(name + " " + k).isNotBlank());
              assertThat(annotations.get("runbook")).as(name).contains("1.", "2.");
              assertThat((Map<String, String>) rule.get("labels")).containsKey("severity");
            });
  }

  /** The alerting rules by name. */
  static Map<String, Map<String, Object>> alerts() {
    Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
    for (var group : groups(Yaml.map(RepoFiles.read(RULES)))) {
      for (var rule : (List<Map<String, Object>>) group.get("rules")) {
        alerts.put((String) rule.get("alert"), rule);
      }
    }
    return alerts;
  }

  private static Map<String, Object> withSummariesOnly() {
    Map<String, Object> rules = Yaml.map(RepoFiles.read(RULES));
    for (var group : groups(rules)) {
      for (var rule : (List<Map<String, Object>>) group.get("rules")) {
        Map<String, String> annotations = (Map<String, String>) rule.get("annotations");
        rule.put("annotations", Map.of("summary", annotations.get("summary")));
      }
    }
    return rules;
  }

  private static List<Map<String, Object>> groups(Map<String, Object> rules) {
    return (List<Map<String, Object>>) rules.get("groups");
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
