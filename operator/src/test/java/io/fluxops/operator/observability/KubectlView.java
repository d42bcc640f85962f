package io.fluxops.operator.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.testing.Examples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What {@code kubectl get fxd} and the Status part of {@code kubectl describe fxd} print for
 * FluxDeployments, rendered the way kubectl does from the committed CRD's printer columns, so the
 * README can show a real run.
 */
final class KubectlView {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private KubectlView() {}

  /** {@code kubectl get fxd}: NAME, then the CRD's printer columns. */
  static String get(List<FluxDeployment> items, Instant now) {
    JsonNode crd = SERIALIZATION.unmarshal(Examples.read(Examples.COMMITTED_CRD), JsonNode.class);
    JsonNode columns = crd.path("spec").path("versions").get(0).path("additionalPrinterColumns");
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("NAME"));
    columns.forEach(c -> header.add(c.path("name").asText().toUpperCase()));
    rows.add(header);
    for (FluxDeployment fd : items) {
      JsonNode node = JSON.valueToTree(fd);
      List<String> row = new ArrayList<>(List.of(fd.getMetadata().getName()));
      columns.forEach(
          c -> {
            JsonNode value = at(node, c.path("jsonPath").asText());
            String text = value == null || value.isNull() ? "" : value.asText();
            row.add("date".equals(c.path("type").asText()) ? age(text, now) : text);
          });
      rows.add(row);
    }
    return table(rows);
  }

  /** The Status section of {@code kubectl describe fxd NAME}. */
  static String describeStatus(FluxDeployment fd) {
    StringBuilder out = new StringBuilder("Status:\n");
    render(JSON.valueToTree(fd.getStatus()), 1, out);
    return out.toString();
  }

  private static void render(JsonNode map, int depth, StringBuilder out) {
    int width = 0;
    for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
      width = Math.max(width, words(it.next()).length() + 1);
    }
    String indent = "  ".repeat(depth);
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = words(e.getKey()) + ":";
      JsonNode v = e.getValue();
      if (v.isObject()) {
        out.append(indent).append(key).append('\n');
        render(v, depth + 1, out);
      } else if (v.isArray()) {
        out.append(indent).append(key).append('\n');
        v.forEach(item -> render(item, depth + 1, out));
      } else {
        out.append(indent)
            .append(String.format("%-" + (width + 2) + "s", key))
            .append(v.asText())
            .append('\n');
      }
    }
  }

  /** kubectl describe's key names: lastTransitionTime becomes Last Transition Time. */
  private static String words(String camel) {
    String spaced = camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2");
    return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }

  private static JsonNode at(JsonNode node, String jsonPath) {
    JsonNode current = node;
    for (String part : jsonPath.substring(1).split("\\.")) {
      current = current == null ? null : current.get(part);
    }
    return current;
  }

  private static String age(String timestamp, Instant now) {
    if (timestamp.isEmpty()) {
      return "<unknown>";
    }
    Duration d = Duration.between(Instant.parse(timestamp), now);
    return d.toMinutes() >= 1 ? d.toMinutes() + "m" : Math.max(0, d.toSeconds()) + "s";
  }

  private static String table(List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    rows.forEach(
        r -> {
          for (int i = 0; i < r.size(); i++) {
            widths[i] = Math.max(widths[i], r.get(i).length());
          }
        });
    StringBuilder out = new StringBuilder();
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        line.append(String.format("%-" + (widths[i] + 3) + "s", r.get(i)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
