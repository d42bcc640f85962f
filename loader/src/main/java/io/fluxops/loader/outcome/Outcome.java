package io.fluxops.loader.outcome;

import io.fluxops.common.ModelLoader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run ended, as its exit code and its termination message (the JSON the kubelet keeps in the
 * pod's status, at most 4096 bytes, which the operator reads after the pod stopped).
 *
 * <p>Exit codes: 0 complete; 2 a setting a person must fix; 3 a failure only a person can fix
 * (licence, names, space); 4 a failure that may pass (network), worth another pod; 1 a bug.
 */
public record Outcome(
    int exitCode,
    String phase,
    String reason,
    String message,
    String commit,
    long bytesTotal,
    int files) {
  public static final int COMPLETE = ModelLoader.EXIT_COMPLETE;
  public static final int BUG = ModelLoader.EXIT_BUG;
  public static final int CONFIGURATION = ModelLoader.EXIT_CONFIGURATION;
  public static final int NEEDS_A_PERSON = ModelLoader.EXIT_NEEDS_A_PERSON;
  public static final int MAY_PASS = ModelLoader.EXIT_MAY_PASS;

  private static final int MAX_MESSAGE = 2500;

  public static Outcome complete(String commit, long bytes, int files, String message) {
    return new Outcome(COMPLETE, "Complete", "", message, commit, bytes, files);
  }

  public static Outcome failed(LoadFailure failure, String commit) {
    return new Outcome(
        failure.reason().permanent() ? NEEDS_A_PERSON : MAY_PASS,
        "Failed",
        failure.reason().conditionReason(),
        failure.getMessage(),
        commit,
        0,
        0);
  }

  public static Outcome configuration(String message) {
    return new Outcome(CONFIGURATION, "Failed", "InvalidConfiguration", message, "", 0, 0);
  }

  public static Outcome bug(Throwable e) {
    return new Outcome(BUG, "Failed", "LoaderError", String.valueOf(e), "", 0, 0);
  }

  /** The termination message's document. */
  public Map<String, Object> document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("phase", phase);
    doc.put("reason", reason);
    doc.put(
        "message", message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message);
    doc.put("commit", commit);
    doc.put("bytesTotal", bytesTotal);
    doc.put("files", files);
    return doc;
  }
}
