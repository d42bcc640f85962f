package io.fluxops.deploy.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reading YAML: plain maps, or Kubernetes objects in Fabric8's model classes. */
public final class Yaml {

  private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  private Yaml() {}

  /** A YAML document as nested maps and lists. */
  public static Map<String, Object> map(String yaml) {
    try {
      return MAPPER.readValue(yaml, new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes maps and lists as YAML. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every Kubernetes object in a multi-document YAML text; documents of only comments skipped. */
  public static List<HasMetadata> objects(String yaml) {
    return Arrays.stream(yaml.split("(?m)^---\\s*$"))
        .filter(doc -> doc.lines().anyMatch(l -> !l.isBlank() && !l.strip().startsWith("#")))
        .map(doc -> (HasMetadata) KUBERNETES.unmarshal(doc))
        .toList();
  }
}
