package io.fluxops.deploy.support;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;

/** The chart under charts/fluxops, rendered and linted by the Helm library helm-java embeds. */
public final class HelmChart {

  public static final String RELEASE = "fluxops";
  public static final String NAMESPACE = "fluxops-system";

  /** The cluster version templates render for (without one, helm-java assumes 1.20). */
  public static final String KUBE_VERSION = "1.33.0";

  private static final Path CHART = RepoFiles.path("charts/fluxops");
  private static final Path VALUES = Path.of("src/test/resources/values").toAbsolutePath();

  private HelmChart() {}

  public static Path directory() {
    return CHART;
  }

  /** `helm lint --strict`: warnings fail too. */
  public static LintResult lintStrict() {
    return new Helm(CHART).lint().strict().call();
  }

  /**
   * `helm template` into {@link #NAMESPACE}, with values files from src/test/resources/values.
   *
   * @throws IllegalStateException with Helm's message when the values or templates are refused
   */
  public static RenderedChart render(String... valuesFiles) {
    return renderInto(NAMESPACE, valuesFiles);
  }

  /** As {@link #render(String...)}, into another namespace. */
  public static RenderedChart renderInto(String namespace, String... valuesFiles) {
    TemplateCommand template =
        new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withNamespace(namespace)
            .withKubeVersion(KUBE_VERSION);
    for (String file : valuesFiles) {
      template = template.withValuesFile(VALUES.resolve(file));
    }
    return RenderedChart.parse(template.call());
  }
}
