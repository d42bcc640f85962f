package io.fluxops.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxops.deploy.support.RepoFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's shape: the four sections the issue asks for, templated by namespace and name,
 * every panel with a query. Whether each query finds data is checked against a real Prometheus in
 * the operator module (observability.RealPrometheusTest).
 */
class DashboardTest {

  private final JsonNode dashboard = read();

  @Test
  void hasTheFourSectionsAndIsTemplatedByNamespaceAndName() {
    List<String> rows = new ArrayList<>();
    List<String> variables = new ArrayList<>();
    dashboard
        .get("panels")
        .forEach(
            p -> {
              if (p.get("type").asText().equals("row")) {
                rows.add(p.get("title").asText());
              }
            });
    dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));

    assertThat(rows)
        .contains(
            "Fleet overview", "Deployment: $namespace/$name", "Licence metering", "Cost per image");
    assertThat(variables).containsExactly("datasource", "namespace", "name");
    assertThat(dashboard.get("uid").asText()).isEqualTo("fluxops-overview");
  }

  @Test
  void everyPanelHasAQueryAndAUniqueId() {
    Set<Integer> ids = new HashSet<>();
    dashboard
        .get("panels")
        .forEach(
            p -> {
              assertThat(ids.add(p.get("id").asInt())).as("panel id %s", p.get("id")).isTrue();
              if (!p.get("type").asText().equals("row")) {
                assertThat(p.get("targets")).as(p.get("title").asText()).isNotEmpty();
                p.get("targets").forEach(t -> assertThat(t.get("expr").asText()).isNotBlank());
              }
            });
  }

  @Test
  void showsMonthToDateAgainstBflsInvoicingThreshold() {
    assertThat(dashboard.toString())
        .contains("fluxops_metering_images_month_to_date", "\"max\":100000");
  }

  private static JsonNode read() {
    try {
      return new ObjectMapper().readTree(RepoFiles.read(ChartObservabilityTest.DASHBOARD));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
