package io.fluxops.deploy.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.deploy.support.RepoFiles;
import io.fluxops.deploy.support.Yaml;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of the FluxDeployment health check's health_test.yaml, as Argo CD's own tests do:
 * the fixture through health.lua, then the expected status and message.
 */
class HealthCheckTest {

  private static final ArgoHealthCheck CHECK = new ArgoHealthCheck(HealthCheckFiles.script());

  record Case(String inputPath, String status, String message) {
    @Override
    public String toString() {
      return inputPath + " -> " + status;
    }
  }

  static Stream<Case> cases() throws IOException {
    @SuppressWarnings("unchecked")
    var tests =
        (List<Map<String, Object>>) Yaml.map(RepoFiles.read(HealthCheckFiles.TESTS)).get("tests");
    return tests.stream()
        .map(
            test -> {
              @SuppressWarnings("unchecked")
              var expected = (Map<String, String>) test.get("healthStatus");
              return new Case(
                  (String) test.get("inputPath"), expected.get("status"), expected.get("message"));
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersTheExpectedHealthForEachFixture(Case testCase) throws IOException {
    Map<String, Object> resource =
        Yaml.map(RepoFiles.read(HealthCheckFiles.DIRECTORY + "/" + testCase.inputPath()));

    ArgoHealthCheck.Health health = CHECK.evaluate(resource);

    assertThat(health.status()).as("status").isEqualTo(testCase.status());
    assertThat(health.message()).as("message").isEqualTo(testCase.message());
  }

  @Test
  void coversEveryStatusArgoCdShowsForAFluxDeployment() throws IOException {
    assertThat(cases().map(Case::status).distinct())
        .containsExactlyInAnyOrder("Healthy", "Progressing", "Degraded", "Suspended");
  }

  @Test
  void everyFixtureIsUsedByATestCase() throws IOException {
    List<String> used = cases().map(Case::inputPath).toList();
    try (Stream<java.nio.file.Path> fixtures =
        java.nio.file.Files.list(RepoFiles.path(HealthCheckFiles.DIRECTORY + "/testdata"))) {
      assertThat(fixtures.map(p -> "testdata/" + p.getFileName()))
          .containsExactlyInAnyOrderElementsOf(used);
    }
  }
}
