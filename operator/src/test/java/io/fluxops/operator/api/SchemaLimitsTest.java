package io.fluxops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fluxops.operator.testing.Examples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaLimitsTest {

  @Test
  void outOfRangeFieldsAreReportedWithTheirPathAndTheSchemasRange() {
    FluxDeploymentSpec spec = Examples.load("flux-1-dev-rtx-4090.yaml", "ns").getSpec();
    spec.getGpu().setCount(9);
    spec.getAutoscaling().setPollIntervalSeconds(0);
    spec.getServer().setPort(70000);

    assertThat(SchemaLimits.violations(spec, "spec"))
        .containsExactlyInAnyOrder(
            "spec.gpu.count 9 is out of range: use 1 to 8",
            "spec.autoscaling.pollIntervalSeconds 0 is out of range: use 1 to 300",
            "spec.server.port 70000 is out of range: use 1 to 65535");
  }

  @Test
  void theExamplesAreWithinRange() {
    for (var file : Examples.fluxDeploymentFiles()) {
      assertThat(SchemaLimits.violations(Examples.load(file, "ns").getSpec(), "spec"))
          .as("%s", file)
          .isEmpty();
    }
  }

  @Test
  void everyRangeTheOperatorChecksIsTheCommittedCrdsRange() throws Exception {
    // The ranges come from the annotations the CRD is generated from; the committed CRD must hold
    // the same minimum and maximum for every field that has one.
    JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(Examples.COMMITTED_CRD.toFile());
    JsonNode spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");
    List<String> ranges = new ArrayList<>();
    collect(spec, "spec", ranges);
    assertThat(ranges)
        .contains(
            "spec.gpu.count 1..8",
            "spec.replicas 0..1000",
            "spec.autoscaling.minReplicas 0..1000",
            "spec.autoscaling.maxReplicas 1..1000",
            "spec.server.port 1..65535");
    FluxDeploymentSpec outside = Examples.load("flux-1-dev-rtx-4090.yaml", "ns").getSpec();
    outside.getGpu().setCount(9);
    outside.getAutoscaling().setMaxReplicas(1001);
    assertThat(SchemaLimits.violations(outside, "spec"))
        .containsExactlyInAnyOrder(
            "spec.gpu.count 9 is out of range: use 1 to 8",
            "spec.autoscaling.maxReplicas 1001 is out of range: use 1 to 1000");
  }

  private static void collect(JsonNode properties, String path, List<String> ranges) {
    properties
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode field = e.getValue();
              String fieldPath = path + "." + e.getKey();
              if (field.has("minimum") && field.has("maximum")) {
                ranges.add(
                    fieldPath
                        + " "
                        + field.get("minimum").asLong()
                        + ".."
                        + field.get("maximum").asLong());
              }
              if (field.has("properties")) {
                collect(field.get("properties"), fieldPath, ranges);
              }
            });
  }
}
