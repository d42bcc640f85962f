package io.fluxops.deploy.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fluxops.deploy.support.HelmChart;
import io.fluxops.deploy.support.RepoFiles;
import io.fluxops.deploy.support.Yaml;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/argocd: the health check's installation and the two Applications. */
class ArgoCdExamplesTest {

  @Test
  void argocdConfigMapInstallsTheTestedHealthCheck() {
    Map<String, Object> configMap = Yaml.map(RepoFiles.read("examples/argocd/argocd-cm.yaml"));

    assertThat(configMap).containsEntry("kind", "ConfigMap");
    assertThat(get(configMap, "metadata", "name")).isEqualTo("argocd-cm");
    assertThat(get(configMap, "data", "resource.customizations.health.fluxops.io_FluxDeployment"))
        .as("the Lua in argocd-cm.yaml must be %s", HealthCheckFiles.SCRIPT)
        .isEqualTo(HealthCheckFiles.script());
  }

  @Test
  void chartApplicationInstallsTheChartWithValuesItsSchemaAccepts(@TempDir Path dir)
      throws IOException {
    Map<String, Object> app = application("application-fluxops.yaml");
    assertThat(get(app, "spec", "source", "path")).isEqualTo("charts/fluxops");

    Path values = dir.resolve("values.yaml");
    Files.writeString(values, Yaml.write(get(app, "spec", "source", "helm", "valuesObject")));
    Deployment operator =
        HelmChart.render(values.toAbsolutePath().toString())
            .one(Deployment.class, HelmChart.RELEASE);

    assertThat(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example.com/platform/fluxops-operator:" + RepoFiles.projectVersion());
  }

  @Test
  void modelsApplicationDeploysFluxDeploymentsAndNoSecret() throws IOException {
    Map<String, Object> app = application("application-fluxdeployments.yaml");
    Path directory = RepoFiles.path((String) get(app, "spec", "source", "path"));
    PathMatcher include =
        FileSystems.getDefault()
            .getPathMatcher("glob:" + get(app, "spec", "source", "directory", "include"));

    List<HasMetadata> deployed;
    try (Stream<Path> files = Files.list(directory)) {
      deployed =
          files
              .filter(f -> include.matches(f.getFileName()))
              .flatMap(f -> Yaml.objects(read(f)).stream())
              .toList();
    }

    assertThat(deployed).isNotEmpty();
    assertThat(deployed).allSatisfy(o -> assertThat(o.getKind()).isEqualTo("FluxDeployment"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, Object> application(String file) {
    Map<String, Object> app = Yaml.map(RepoFiles.read("examples/argocd/" + file));
    assertThat(app).containsEntry("apiVersion", "argoproj.io/v1alpha1");
    assertThat(app).containsEntry("kind", "Application");
    return app;
  }

  @SuppressWarnings("unchecked")
  private static Object get(Map<String, Object> map, String... path) {
    Object value = map;
    for (String key : path) {
      assertThat(value).as("%s in %s", key, String.join(".", path)).isInstanceOf(Map.class);
      value = ((Map<String, Object>) value).get(key);
    }
    return value;
  }
}
