package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
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
    return read(cluster, user, since);
  }

  /**
   * Waits until none of the writes {@code counted} (anyone's, from the audit log) has happened for
   * {@code quiet}, and returns the moment of the last one ({@code since} if there was none): where
   * a window that must see no writes starts. Fails with the writes of the last {@code quiet} when
   * they have not stopped after {@code atMost}.
   */
  static Instant awaitQuiet(
      KwokCluster cluster,
      Predicate<Audited> counted,
      Instant since,
      Duration quiet,
      Duration atMost) {
    AtomicReference<Instant> last = new AtomicReference<>(since);
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              List<Audited> writes =
                  read(cluster, null, since).stream()
                      .filter(r -> AUDIT_WRITE_VERBS.contains(r.verb()))
                      .filter(counted)
                      .toList();
              writes.stream().map(Audited::at).max(Instant::compareTo).ifPresent(last::set);
              Instant recent = Instant.now().minus(quiet);
              assertThat(writes.stream().filter(w -> !w.at().isBefore(recent)).toList())
                  .as("writes in the last %d s (they must stop)", quiet.toSeconds())
                  .isEmpty();
            });
    return last.get();
  }

  /** The audit log's requests at or after a moment, of one user or ({@code null}) anyone. */
  private static List<Audited> read(KwokCluster cluster, String user, Instant since) {
    RealCluster.assumeAuditLog(cluster);
    List<Audited> requests = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(cluster.auditLog());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log " + cluster.auditLog(), e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      // Most lines are other users' or older: skip them before parsing (the log grows over the
      // suite, and the tests that wait for quiet read it twice a second).
      if ((user != null && !line.contains(user)) || receivedBefore(line, since)) {
        continue;
      }
      JsonNode event;
      try {
        event = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        if (i == lines.size() - 1) {
          break; // the API server is still writing it
        }
        throw new UncheckedIOException("line " + (i + 1) + " of " + cluster.auditLog(), e);
      }
      Instant at = Instant.parse(event.path("requestReceivedTimestamp").asText());
      String username = event.path("user").path("username").asText();
      if ((user != null && !username.equals(user)) || at.isBefore(since)) {
        continue;
      }
      JsonNode object = event.path("objectRef");
      requests.add(
          new Audited(
              at,
              username,
              event.path("verb").asText(),
              object.path("namespace").asText(),
              object.path("resource").asText(),
              object.path("subresource").asText(),
              object.path("name").asText(),
              event.path("responseStatus").path("code").asInt(),
              event.path("requestObject")));
    }
    return requests;
  }

  private static final String RECEIVED = "\"requestReceivedTimestamp\":\"";

  private static boolean receivedBefore(String line, Instant since) {
    int start = line.indexOf(RECEIVED);
    int end = start < 0 ? -1 : line.indexOf('"', start + RECEIVED.length());
    return end > 0 && Instant.parse(line.substring(start + RECEIVED.length(), end)).isBefore(since);
  }
}
