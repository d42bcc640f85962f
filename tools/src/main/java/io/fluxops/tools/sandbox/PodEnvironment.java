package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fluxops.common.MeteringSidecar;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the operator wrote it into the pod, as this machine runs it. In a
 * cluster each pod has a loopback of its own and every port; here the pod's processes share this
 * machine's, so the pod's loopback (127.0.0.1 in the spec) becomes the pod's address, and each port
 * the operator wrote (a {@code *_PORT} variable, the port of a loopback URL) the pod's own number
 * for it ({@link SimulatedPod.Address#own}). The sidecar's files (the mounted key, the journal's
 * volume) are the sandbox's. Nothing else changes: the counting mode, the upstream, the labels are
 * the operator's.
 */
final class PodEnvironment {

  /** The pod's loopback in the operator's URLs: {@code http://127.0.0.1:<port><path>}. */
  private static final Pattern LOOPBACK_URL =
      Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)(/.*)?");

  private static final String LOOPBACK = "127.0.0.1";

  private PodEnvironment() {}

  /**
   * The container's variables, resolved where a kubelet resolves them ({@code metadata.namespace})
   * and moved onto the pod's address and ports.
   */
  static Map<String, String> of(Container container, String namespace, SimulatedPod.Address at) {
    Map<String, String> env = new LinkedHashMap<>();
    List<EnvVar> variables = container.getEnv() == null ? List.of() : container.getEnv();
    for (EnvVar variable : variables) {
      String value = value(variable, namespace);
      if (value != null) {
        env.put(variable.getName(), onThisMachine(variable.getName(), value, at));
      }
    }
    return env;
  }

  /**
   * The sidecar's: {@link #of}, with its key and journal where the sandbox keeps them, and its
   * listeners on the pod's address. Reports go out every second (the sandbox's time runs faster).
   */
  static Map<String, String> sidecar(
      Container sidecar, String namespace, SimulatedPod.Address at, Path keyFile, Path journal) {
    Map<String, String> env = of(sidecar, namespace, at);
    env.put("FLUXOPS_KEY_FILE", keyFile.toString());
    env.put("FLUXOPS_JOURNAL_DIR", journal.toString());
    env.put("FLUXOPS_LISTEN_ADDRESS", at.ip());
    // In a pod the usage endpoint is on the pod's own 127.0.0.1; here on the pod's address.
    env.put("FLUXOPS_USAGE_ADDRESS", at.ip());
    env.put("FLUXOPS_BATCH_INTERVAL_SECONDS", "1");
    return env;
  }

  /**
   * The sidecar's JVM flags: those of the pod's {@code command} where the operator set one (the
   * proxy's), else the image's entrypoint's.
   */
  static List<String> jvmFlags(Container sidecar) {
    List<String> command = sidecar.getCommand();
    if (command == null || command.isEmpty()) {
      return MeteringSidecar.JVM_FLAGS;
    }
    int classpath = command.indexOf("-cp");
    if (!command.get(0).equals("java") || classpath < 0) {
      throw new IllegalArgumentException(
          "the metering container's command is not the image's java entrypoint: " + command);
    }
    return List.copyOf(command.subList(1, classpath));
  }

  private static String value(EnvVar variable, String namespace) {
    if (variable.getValue() != null) {
      return variable.getValue();
    }
    var from = variable.getValueFrom();
    if (from != null
        && from.getFieldRef() != null
        && "metadata.namespace".equals(from.getFieldRef().getFieldPath())) {
      return namespace;
    }
    // Secrets and other references: the stand-in servers read none of them.
    return null;
  }

  private static String onThisMachine(String name, String value, SimulatedPod.Address at) {
    if (value.equals(LOOPBACK)) {
      return at.ip();
    }
    Matcher url = LOOPBACK_URL.matcher(value);
    if (url.matches() && at.has(Integer.parseInt(url.group(1)))) {
      int port = at.own(Integer.parseInt(url.group(1)));
      return "http://" + at.ip() + ":" + port + (url.group(2) == null ? "" : url.group(2));
    }
    if (name.endsWith("_PORT") && value.matches("\\d{1,5}") && at.has(Integer.parseInt(value))) {
      return Integer.toString(at.own(Integer.parseInt(value)));
    }
    // A port the sandbox runs nothing on (a user's own variable): as written.
    return value;
  }
}
