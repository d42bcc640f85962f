package io.fluxops.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fluxops.deploy.support.HelmChart;
import io.fluxops.deploy.support.RepoFiles;
import io.fluxops.deploy.support.Yaml;
import java.io.StringReader;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;

/**
 * What the chart shares with the rest of the build: the version, the image names Jib publishes, the
 * operator's settings and its Lease. Each is written once elsewhere; these tests fail when the
 * chart drifts from it.
 */
class ChartMetadataTest {

  @Test
  void chartVersionAndAppVersionAreTheMavenProjectVersion() {
    Map<String, Object> chart = Yaml.map(RepoFiles.read("charts/fluxops/Chart.yaml"));

    assertThat(chart)
        .containsEntry("version", RepoFiles.projectVersion())
        .containsEntry("appVersion", RepoFiles.projectVersion());
  }

  @Test
  void imagesAreTheOnesJibPublishes() throws Exception {
    Map<String, Object> values = Yaml.map(RepoFiles.read("charts/fluxops/values.yaml"));

    assertThat(repository(values, "image")).isEqualTo(jibImage("operator/pom.xml"));
    assertThat(repository(values, "meteringImage")).isEqualTo(jibImage("metering/pom.xml"));
    assertThat(repository(values, "meteringImage"))
        .as("OperatorOptions.METERING_IMAGE_REPOSITORY, the operator's own default")
        .isEqualTo(
            javaConstant(
                "operator/src/main/java/io/fluxops/operator/config/OperatorOptions.java",
                "METERING_IMAGE_REPOSITORY"));
    assertThat(repository(values, "loaderImage")).isEqualTo(jibImage("loader/pom.xml"));
    assertThat(repository(values, "loaderImage"))
        .as("OperatorOptions.LOADER_IMAGE_REPOSITORY, the operator's own default")
        .isEqualTo(
            javaConstant(
                "operator/src/main/java/io/fluxops/operator/config/OperatorOptions.java",
                "LOADER_IMAGE_REPOSITORY"));
  }

  @Test
  void leaderElectionRoleNamesTheLeaseTheOperatorTakes() {
    Role role = HelmChart.render().one(Role.class, "fluxops-leader-election");

    String lease =
        javaConstant(
            "operator/src/main/java/io/fluxops/operator/config/OperatorConfig.java", "LEASE_NAME");
    assertThat(role.getRules())
        .filteredOn(rule -> !rule.getResourceNames().isEmpty())
        .allSatisfy(rule -> assertThat(rule.getResourceNames()).containsExactly(lease));
  }

  @Test
  void everySettingTheChartGivesTheOperatorIsOneItReads() {
    Deployment operator =
        HelmChart.render("all-switches.yaml", "watch-namespaces.yaml")
            .one(Deployment.class, HelmChart.RELEASE);
    Set<String> given = new LinkedHashSet<>();
    for (EnvVar env : operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (env.getName().startsWith("FLUXOPS_")) {
        given.add(env.getName());
      }
    }

    Set<String> read = new LinkedHashSet<>();
    Matcher m =
        Pattern.compile("new Option\\(\\s*\"(FLUXOPS_[A-Z0-9_]+)\"")
            .matcher(
                RepoFiles.read(
                    "operator/src/main/java/io/fluxops/operator/config/OperatorOptions.java"));
    while (m.find()) {
      read.add(m.group(1));
    }
    assertThat(given).contains("FLUXOPS_METERING_IMAGE", "FLUXOPS_GPU_PRICE_RTX_4090");
    assertThat(read).containsAll(given);
  }

  @SuppressWarnings("unchecked")
  private static String repository(Map<String, Object> values, String key) {
    return (String) ((Map<String, Object>) values.get(key)).get("repository");
  }

  private static String jibImage(String pom) throws Exception {
    var document =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new InputSource(new StringReader(RepoFiles.read(pom))));
    String image =
        XPathFactory.newInstance()
            .newXPath()
            .evaluate(
                "//*[local-name()='plugin'][*[local-name()='artifactId']='jib-maven-plugin']"
                    + "/*[local-name()='configuration']/*[local-name()='to']/*[local-name()='image']",
                document)
            .strip();
    assertThat(image).as("jib-maven-plugin <to><image> in " + pom).isNotEmpty();
    return image;
  }

  private static String javaConstant(String source, String name) {
    Matcher m =
        Pattern.compile("\\b" + name + "\\s*=\\s*\"([^\"]+)\"").matcher(RepoFiles.read(source));
    assertThat(m.find()).as(name + " in " + source).isTrue();
    return m.group(1);
  }
}
