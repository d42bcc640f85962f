package io.fluxops.deploy.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.deploy.support.HelmChart;
import io.fluxops.deploy.support.RenderedChart;
import io.fluxops.deploy.support.RepoFiles;
import io.fluxops.deploy.support.Yaml;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * examples/nvidia holds, for `kubectl apply`, the objects the chart installs with
 * nvidiaDevicePlugin.enabled: each example must be the chart's object, rendered into kube-system,
 * but for the labels only a Helm release has.
 */
class NvidiaExamplesTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Labels Helm releases carry and hand-applied manifests do not. */
  private static final Set<String> RELEASE_LABELS =
      Set.of(
          "app.kubernetes.io/instance",
          "app.kubernetes.io/version",
          "app.kubernetes.io/managed-by",
          "helm.sh/chart");

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "runtimeclass.yaml, nvidia-device-plugin.yaml",
    "nvidia-device-plugin.yaml, nvidia-device-plugin.yaml",
    "time-slicing.yaml, nvidia-time-slicing.yaml"
  })
  void exampleIsWhatTheChartInstalls(String example, String chartValues) {
    List<HasMetadata> manifests = Yaml.objects(RepoFiles.read("examples/nvidia/" + example));
    RenderedChart chart = HelmChart.renderInto("kube-system", chartValues);

    assertThat(manifests).isNotEmpty();
    for (HasMetadata manifest : manifests) {
      HasMetadata rendered = chart.one(manifest.getClass(), manifest.getMetadata().getName());
      assertThat(SERIALIZATION.asYaml(withoutReleaseMetadata(rendered)))
          .as("examples/nvidia/%s: %s", example, manifest.getMetadata().getName())
          .isEqualTo(SERIALIZATION.asYaml(manifest));
    }
  }

  private static HasMetadata withoutReleaseMetadata(HasMetadata rendered) {
    HasMetadata copy = SERIALIZATION.clone(rendered);
    Map<String, String> labels = copy.getMetadata().getLabels();
    RELEASE_LABELS.forEach(labels::remove);
    if (copy instanceof DaemonSet daemonSet) {
      // The chart restarts the plugin when its config changes; kubectl users restart it by hand.
      daemonSet.getSpec().getTemplate().getMetadata().setAnnotations(null);
    }
    return copy;
  }
}
