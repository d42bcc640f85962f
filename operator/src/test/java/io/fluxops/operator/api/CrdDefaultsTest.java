package io.fluxops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.operator.testing.Examples;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A default lives twice: in the CRD (the API server applies it) and in the Java field (the operator
 * applies it where no API server did). This keeps the two the same.
 */
class CrdDefaultsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyCrdDefaultIsTheJavaDefault() throws Exception {
    JsonNode schema =
        new ObjectMapper(new YAMLFactory())
            .readTree(Examples.read(Examples.GENERATED_CRD))
            .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    Map<String, JsonNode> defaults = new LinkedHashMap<>();
    ObjectNode skeleton = JSON.createObjectNode();
    collect(schema, "", skeleton, defaults);

    KubernetesSerialization serialization = new KubernetesSerialization();
    FluxDeploymentSpec spec =
        serialization.unmarshal(skeleton.toString(), FluxDeploymentSpec.class);
    JsonNode java = JSON.readTree(serialization.asJson(spec));

    assertThat(defaults).hasSizeGreaterThan(15);
    defaults.forEach(
        (path, value) -> assertThat(java.at(path)).as("Java default of %s", path).isEqualTo(value));
  }

  /** Records each default by JSON pointer and builds empty parent objects down to it. */
  private static boolean collect(
      JsonNode schema, String pointer, ObjectNode skeleton, Map<String, JsonNode> defaults) {
    boolean any = false;
    var properties = schema.path("properties").fields();
    while (properties.hasNext()) {
      var property = properties.next();
      String path = pointer + "/" + property.getKey();
      JsonNode child = property.getValue();
      if (child.has("default")) {
        defaults.put(path, child.get("default"));
        any = true;
      } else if ("object".equals(child.path("type").asText()) && child.has("properties")) {
        ObjectNode nested = JSON.createObjectNode();
        if (collect(child, path, nested, defaults)) {
          skeleton.set(property.getKey(), nested);
          any = true;
        }
      }
    }
    return any;
  }
}
