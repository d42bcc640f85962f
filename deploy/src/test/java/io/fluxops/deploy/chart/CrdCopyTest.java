package io.fluxops.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.deploy.support.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's crds/ is a copy of crds/, made by this module's build (generate-resources) and
 * committed, since Argo CD and `helm install` from Git read it from there. This fails when the two
 * differ: a copy edited by hand, a build that skipped the copy, or a CRD the chart still ships
 * after crds/ dropped it (a copy never deletes). After a failure, run `./mvnw -pl deploy verify`
 * and commit charts/fluxops/crds.
 */
class CrdCopyTest {

  private static final Path SOURCE = RepoFiles.path("crds");
  private static final Path CHART = RepoFiles.path("charts/fluxops/crds");

  @Test
  void chartShipsExactlyTheCrdsOfTheCrdsDirectory() throws IOException {
    assertThat(names(CHART)).isEqualTo(names(SOURCE)).isNotEmpty();
  }

  @Test
  void everyCrdInTheChartIsByteForByteTheOneInCrds() throws IOException {
    for (String name : names(SOURCE)) {
      assertThat(Files.readString(CHART.resolve(name)))
          .as("charts/fluxops/crds/%s differs from crds/%s", name, name)
          .isEqualTo(Files.readString(SOURCE.resolve(name)));
    }
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
