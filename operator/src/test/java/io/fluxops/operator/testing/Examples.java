package io.fluxops.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.operator.api.FluxDeployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's example manifests and the committed CRD, as tests read them. */
public final class Examples {

  /** Tests run in the module directory; the repository root is its parent. */
  public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  public static final Path EXAMPLES = ROOT.resolve("examples");
  public static final Path COMMITTED_CRD = ROOT.resolve("crds/fluxdeployments.fluxops.io-v1.yml");
  public static final Path GENERATED_CRD =
      Path.of("target/classes/META-INF/fabric8/fluxdeployments.fluxops.io-v1.yml");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Examples() {}

  /**
   * Every example file that holds a FluxDeployment, in examples/, examples/model-cache/ and
   * examples/servers/ (one per server.api preset).
   */
  public static List<Path> fluxDeploymentFiles() {
    return Stream.of(EXAMPLES, EXAMPLES.resolve("model-cache"), EXAMPLES.resolve("servers"))
        .flatMap(Examples::list)
        .filter(p -> p.toString().endsWith(".yaml"))
        .filter(p -> read(p).contains("kind: FluxDeployment"))
        .sorted()
        .toList();
  }

  private static Stream<Path> list(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a FluxDeployment from a file, in namespace {@code namespace}. */
  public static FluxDeployment load(Path file, String namespace) {
    FluxDeployment fd = SERIALIZATION.unmarshal(read(file), FluxDeployment.class);
    fd.getMetadata().setNamespace(namespace);
    return fd;
  }

  /** Reads an example by file name (relative to examples/). */
  public static FluxDeployment load(String fileName, String namespace) {
    return load(EXAMPLES.resolve(fileName), namespace);
  }

  public static String yaml(HasMetadata object) {
    return SERIALIZATION.asYaml(object);
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
