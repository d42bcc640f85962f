package io.fluxops.operator.modelcache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * What the loader says of itself: its {@code /status} document while it runs, its termination
 * message after it stopped (the same members, fewer of them).
 *
 * @param phase Resolving, Downloading, Complete or Failed
 * @param reason for a failure, the CamelCase reason the ModelCached condition takes
 */
public record LoaderReport(
    String phase,
    String reason,
    String message,
    String commit,
    long bytesDone,
    long bytesTotal,
    long bytesPerSecond) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses a document; empty when it is not a loader's. */
  public static Optional<LoaderReport> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode doc = JSON.readTree(text);
      if (doc == null || !doc.isObject() || !doc.path("phase").isTextual()) {
        return Optional.empty();
      }
      long total = doc.path("bytesTotal").asLong(0);
      return Optional.of(
          new LoaderReport(
              doc.path("phase").asText(),
              doc.path("reason").asText(""),
              doc.path("message").asText(""),
              doc.path("commit").asText(""),
              doc.path("bytesDone")
                  .asLong(doc.path("phase").asText().equals("Complete") ? total : 0),
              total,
              doc.path("bytesPerSecond").asLong(0)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
