package io.fluxops.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;

/**
 * Whether an owned object as the API server stores it still holds what the operator wants: every
 * field the operator sets has its value, and every label and annotation it sets is there. What the
 * server or someone else only added (defaults, other controllers' labels) is left alone.
 *
 * <p>That is the SDK's own rule for updates without server-side apply, computed on a JSON patch of
 * plain operations. The SDK's matcher (JOSDK 5.2) diffs with the patch library's defaults, which
 * write an added value as a {@code copy} from an equal value elsewhere in the object; it takes a
 * {@code copy} for a change. On a real API server that is every Deployment: the server adds {@code
 * successThreshold: 1} to each probe, equal to {@code replicas: 1}, and {@code serviceAccount},
 * equal to the name; the SDK then updated the Deployment on every reconcile (found by the cluster
 * tests: StoredAsDesiredClusterIT, IdleWritesClusterIT).
 */
public final class StoredObjectMatcher {

  private StoredObjectMatcher() {}

  public static boolean matches(
      HasMetadata desired, HasMetadata stored, KubernetesSerialization serialization) {
    JsonNode patch =
        JsonDiff.asJson(
            serialization.convertValue(desired, JsonNode.class),
            serialization.convertValue(stored, JsonNode.class),
            DiffFlags.dontNormalizeOpIntoMoveAndCopy());
    for (JsonNode operation : patch) {
      String path = operation.path("path").asText();
      boolean added = operation.path("op").asText().equals("add");
      if (!added && wanted(path)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the operator sets what lies at {@code path} (it never sets status or server fields).
   */
  private static boolean wanted(String path) {
    if (under(path, "/status") || under(path, "/apiVersion") || under(path, "/kind")) {
      return false;
    }
    if (under(path, "/metadata")) {
      return under(path, "/metadata/labels") || under(path, "/metadata/annotations");
    }
    return true;
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
