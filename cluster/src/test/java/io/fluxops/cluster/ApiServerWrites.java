package io.fluxops.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Two views of the writes an API server took: its own counter, and its audit log. */
final class ApiServerWrites {

  /** What the operator writes: FluxDeployment status and the objects it owns. */
  static final Set<String> OPERATOR_RESOURCES =
      Set.of(
          "fluxdeployments", "deployments", "services", "serviceaccounts", "poddisruptionbudgets");

  private static final Set<String> WRITE_VERBS = Set.of("POST", "PUT", "PATCH");
  private static final Pattern SAMPLE =
      Pattern.compile("^apiserver_request_total\\{(?<labels>[^}]*)} (?<value>\\S+)$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiServerWrites() {}

  /**
   * The sum of {@code apiserver_request_total} over create, update and patch requests (any
   * subresource, any code) of the resources the operator writes, from the API server's /metrics.
   */
  static long counted(KwokCluster cluster) {
    String metrics = cluster.admin().raw("/metrics");
    long total = 0;
    for (String line : metrics.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (sample.matches()) {
        String labels = sample.group("labels");
        if (WRITE_VERBS.contains(label(labels, "verb"))
            && OPERATOR_RESOURCES.contains(label(labels, "resource"))) {
          total += (long) Double.parseDouble(sample.group("value"));
        }
      }
    }
    return total;
  }

  private static String label(String labels, String name) {
    Matcher value = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
    return value.find() ? value.group(1) : "";
  }

  /** A write the audit log recorded. */
  record Audited(
      Instant at,
      String user,
      String verb,
      String namespace,
      String resource,
      String subresource,
      String name,
      int code,
      JsonNode requestObject) {
    @Override
    public String toString() {
      return at
          + " "
          + user
          + " "
          + verb
          + " "
          + resource
          + (subresource.isEmpty() ? "" : "/" + subresource)
          + " "
          + name
          + " "
          + code;
    }
  }

  private static final Set<String> AUDIT_WRITE_VERBS =
      Set.of("create", "update", "patch", "delete", "deletecollection");

  /** The writes a user made at or after a moment, from the audit log. */
  static List<Audited> auditedSince(KwokCluster cluster, String user, Instant since) {
    return requestsSince(cluster, user, since).stream()
        .filter(r -> AUDIT_WRITE_VERBS.contains(r.verb()))
        .toList();
  }

  /**
   * Every request a user made at or after a moment, from the audit log (which records all of them
   * only for the ServiceAccounts of {@code fluxops-system}: see KwokCluster's policy).
   */
  static List<Audited> requestsSince(KwokCluster cluster, String user, Instant since) {
    RealCluster.assumeAuditLog(cluster);
    List<Audited> writes = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(cluster.auditLog())) {
        JsonNode event = JSON.readTree(line);
        Instant at = Instant.parse(event.path("requestReceivedTimestamp").asText());
        if (!event.path("user").path("username").asText().equals(user) || at.isBefore(since)) {
          continue;
        }
        JsonNode object = event.path("objectRef");
        writes.add(
            new Audited(
                at,
                user,
                event.path("verb").asText(),
                object.path("namespace").asText(),
                object.path("resource").asText(),
                object.path("subresource").asText(),
                object.path("name").asText(),
                event.path("responseStatus").path("code").asInt(),
                event.path("requestObject")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log " + cluster.auditLog(), e);
    }
    return writes;
  }
}
