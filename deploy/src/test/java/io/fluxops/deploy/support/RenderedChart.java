package io.fluxops.deploy.support;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The objects a `helm template` produced, parsed into Fabric8's model classes. */
public final class RenderedChart {

  private final String manifest;
  private final List<HasMetadata> objects;

  private RenderedChart(String manifest, List<HasMetadata> objects) {
    this.manifest = manifest;
    this.objects = List.copyOf(objects);
  }

  static RenderedChart parse(String manifest) {
    return new RenderedChart(manifest, Yaml.objects(manifest));
  }

  /** The YAML as Helm printed it. */
  public String manifest() {
    return manifest;
  }

  public List<HasMetadata> objects() {
    return objects;
  }

  /** Every object of a type. */
  public <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The one object of a type with a name; fails the test when there is not exactly one. */
  public <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> found = all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " " + name + ", found " + kindsAndNames());
    }
    return found.get(0);
  }

  /**
   * The operator container's environment variables that have a value (not {@code valueFrom}), by
   * name.
   */
  public Map<String, String> operatorEnv() {
    return one(Deployment.class, HelmChart.RELEASE)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  /** "Kind/name" of every object, sorted, for assertions and failure messages. */
  public List<String> kindsAndNames() {
    return objects.stream()
        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .sorted()
        .collect(Collectors.toList());
  }
}
