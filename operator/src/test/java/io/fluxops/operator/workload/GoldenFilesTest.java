package io.fluxops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.testing.Examples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For each FluxDeployment in {@code examples/}, the objects FluxOps derives equal the committed
 * {@code golden/<example>/out-<Kind>-<name>.yaml}. After an intended change, regenerate them with
 * {@code ./mvnw -pl operator test -Dtest=GoldenFilesTest -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final String IMAGE = "ghcr.io/fluxops/fluxops-metering:0.1.0";

  static Stream<Path> examples() {
    return Examples.fluxDeploymentFiles().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void derivedObjectsEqualGoldenFiles(Path example) throws IOException {
    FluxDeployment fd = Examples.load(example, "flux");
    fd.getMetadata().setGeneration(1L);
    fd.getMetadata().setUid("6f1c2a4e-0000-4000-8000-000000000001");
    ValidatedSpec spec = ((SpecValidator.Valid) SpecValidator.validate(fd.getSpec())).spec();
    int replicas = ReplicaTarget.desired(fd, spec, Optional.empty());
    List<HasMetadata> objects =
        List.of(
            WorkloadFactory.deployment(fd, spec, replicas, IMAGE),
            WorkloadFactory.service(fd, spec),
            WorkloadFactory.podDisruptionBudget(fd, spec),
            WorkloadFactory.serviceAccount(fd, spec));
    Path dir = GOLDEN.resolve(example.getFileName().toString().replace(".yaml", ""));
    for (HasMetadata object : objects) {
      Path file =
          dir.resolve("out-" + object.getKind() + "-" + object.getMetadata().getName() + ".yaml");
      String actual = Examples.yaml(object);
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(dir);
        Files.writeString(file, actual);
      }
      assertThat(file)
          .as("golden file %s (run with -Dgolden.update=true to create it)", file)
          .exists();
      assertThat(actual)
          .as("derived %s differs from %s", object.getKind(), file)
          .isEqualTo(Files.readString(file));
    }
  }
}
