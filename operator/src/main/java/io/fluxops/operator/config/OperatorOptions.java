package io.fluxops.operator.config;

import io.fluxops.common.GpuType;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every setting of the operator, each an environment variable with its default and meaning. The
 * Helm chart sets them; {@link #load(Map)} turns them into an {@link OperatorConfig}.
 */
public final class OperatorOptions {

  /** One setting: its environment variable, default and description. */
  public record Option(String env, String defaultValue, String description) {

    String read(Map<String, String> environment) {
      String value = environment.get(env);
      return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    int readInt(Map<String, String> environment, int min, int max) {
      String value = read(environment);
      try {
        int parsed = Integer.parseInt(value);
        if (parsed >= min && parsed <= max) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below with the range
      }
      throw new IllegalArgumentException(
          env + "=\"" + value + "\" is not a whole number from " + min + " to " + max);
    }

    double readPrice(Map<String, String> environment) {
      String value = read(environment);
      try {
        double parsed = Double.parseDouble(value);
        if (parsed >= 0 && Double.isFinite(parsed)) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(env + "=\"" + value + "\" is not a price in USD (>= 0)");
    }

    boolean readBoolean(Map<String, String> environment) {
      String value = read(environment);
      if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(value);
      }
      throw new IllegalArgumentException(env + "=\"" + value + "\" must be true or false");
    }
  }

  /** Where the build publishes the sidecar image (see metering/pom.xml). */
  public static final String METERING_IMAGE_REPOSITORY = "ghcr.io/fluxops/fluxops-metering";

  public static final Option METERING_IMAGE =
      new Option(
          "FLUXOPS_METERING_IMAGE",
          METERING_IMAGE_REPOSITORY + ":" + BuildInfo.version(),
          "Image of the metering sidecar injected beside every metered model.");

  /** Where the build publishes the model loader image (see loader/pom.xml). */
  public static final String LOADER_IMAGE_REPOSITORY = "ghcr.io/fluxops/fluxops-loader";

  public static final Option LOADER_IMAGE =
      new Option(
          "FLUXOPS_LOADER_IMAGE",
          LOADER_IMAGE_REPOSITORY + ":" + BuildInfo.version(),
          "Image of the loader Job that fills spec.modelCache from Hugging Face.");

  public static final Option HUGGINGFACE_ENDPOINT =
      new Option(
          "FLUXOPS_HUGGINGFACE_ENDPOINT",
          "https://huggingface.co",
          "Base URL of the Hugging Face Hub the loader Jobs download from (or a mirror that"
              + " answers as the Hub does).");

  public static final Option WATCH_NAMESPACES =
      new Option(
          "FLUXOPS_WATCH_NAMESPACES",
          "",
          "Comma-separated namespaces to watch; empty watches all namespaces.");

  public static final Option HTTP_PORT =
      new Option("FLUXOPS_HTTP_PORT", "8080", "Port of /healthz and /metrics.");

  public static final Option LEADER_ELECTION =
      new Option(
          "FLUXOPS_LEADER_ELECTION",
          "false",
          "Take the Lease fluxops-operator before reconciling; needed when more than one replica"
              + " runs.");

  public static final Option LEASE_NAMESPACE =
      new Option(
          "FLUXOPS_LEASE_NAMESPACE",
          "",
          "Namespace of the leader-election Lease; the operator's own namespace (POD_NAMESPACE)"
              + " if empty.");

  public static final Option LEASE_DURATION_SECONDS =
      new Option(
          "FLUXOPS_LEASE_DURATION_SECONDS",
          "15",
          "How long a leader's Lease lasts without renewal: a standby takes over this long after"
              + " the leader dies.");

  public static final Option USAGE_POLL_SECONDS =
      new Option(
          "FLUXOPS_USAGE_POLL_SECONDS",
          "15",
          "How often the operator reads each pod's metering sidecar for status.usage, status.cost"
              + " and the Metering condition.");

  public static final Option API_UNREACHABLE_SECONDS =
      new Option(
          "FLUXOPS_API_UNREACHABLE_SECONDS",
          "60",
          "/healthz fails once the Kubernetes API has not answered for this long (the operator"
              + " asks for its version every 10 s), so the liveness probe restarts the operator.");

  public static final Option GPU_PRICE_RTX_4090 =
      new Option(
          "FLUXOPS_GPU_PRICE_RTX_4090",
          "0.69",
          "USD per RTX 4090 hour when spec.cost does not say (secure-cloud rental, 2026).");

  public static final Option GPU_PRICE_BLACKWELL =
      new Option(
          "FLUXOPS_GPU_PRICE_BLACKWELL",
          "0.99",
          "USD per Blackwell GPU hour when spec.cost does not say (an assumed RTX 5090 rental"
              + " price: set your own).");

  public static final Option API_PRICE_PER_IMAGE =
      new Option(
          "FLUXOPS_API_PRICE_PER_IMAGE",
          "0.04",
          "The managed API's price per image to compare with (FLUX Pro 1.1, May 2026).");

  public static final Option SERVER_SIDE_APPLY =
      new Option(
          "FLUXOPS_SERVER_SIDE_APPLY",
          "false",
          "Write owned objects and status with server-side apply (true; the ClusterRole then needs"
              + " patch on deployments, services, serviceaccounts and poddisruptionbudgets) or with"
              + " updates and status JSON patches, matched against the stored object (false; measured"
              + " the same on kube-apiserver, see BENCHMARKS.md).");

  public static final Option PROXY_NETWORK_POLICY =
      new Option(
          "FLUXOPS_PROXY_NETWORK_POLICY",
          "true",
          "Give each FluxDeployment with license.counting proxy a NetworkPolicy that admits traffic"
              + " to its pods' serving and metering ports only, so that no other pod reaches the"
              + " inference server past the meter (a NIM binds its port 9472 on every address)."
              + " Set false where your own NetworkPolicies cover the inference pods (the chart does"
              + " with inferenceNetworkPolicy.enabled).");

  /** All options, for documentation and the chart. */
  public static final List<Option> ALL =
      List.of(
          METERING_IMAGE,
          LOADER_IMAGE,
          HUGGINGFACE_ENDPOINT,
          WATCH_NAMESPACES,
          HTTP_PORT,
          LEADER_ELECTION,
          LEASE_NAMESPACE,
          LEASE_DURATION_SECONDS,
          USAGE_POLL_SECONDS,
          API_UNREACHABLE_SECONDS,
          GPU_PRICE_RTX_4090,
          GPU_PRICE_BLACKWELL,
          API_PRICE_PER_IMAGE,
          SERVER_SIDE_APPLY,
          PROXY_NETWORK_POLICY);

  private OperatorOptions() {}

  /** The Hub's base URL: https, or http on loopback only (the loader refuses anything else). */
  private static String huggingFaceEndpoint(Map<String, String> environment) {
    String value = HUGGINGFACE_ENDPOINT.read(environment).replaceAll("/+$", "");
    java.net.URI uri;
    try {
      uri = new java.net.URI(value);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    boolean https = uri != null && "https".equals(uri.getScheme()) && uri.getHost() != null;
    boolean loopback =
        uri != null
            && "http".equals(uri.getScheme())
            && uri.getHost() != null
            && (uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost"));
    if (!https && !loopback) {
      throw new IllegalArgumentException(
          HUGGINGFACE_ENDPOINT.env()
              + "=\""
              + value
              + "\" must be an https:// URL (the loader sends the token there)");
    }
    return value;
  }

  /**
   * Reads the configuration.
   *
   * @throws IllegalArgumentException naming the variable, when a value is malformed
   */
  public static OperatorConfig load(Map<String, String> environment) {
    Set<String> namespaces =
        Arrays.stream(WATCH_NAMESPACES.read(environment).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    String leaseNamespace = LEASE_NAMESPACE.read(environment);
    if (leaseNamespace.isEmpty()) {
      leaseNamespace = environment.getOrDefault("POD_NAMESPACE", "default");
    }
    Map<String, Double> gpuPrices = new LinkedHashMap<>();
    gpuPrices.put(GpuType.RTX_4090.value(), GPU_PRICE_RTX_4090.readPrice(environment));
    gpuPrices.put(GpuType.BLACKWELL.value(), GPU_PRICE_BLACKWELL.readPrice(environment));
    return new OperatorConfig(
        METERING_IMAGE.read(environment),
        LOADER_IMAGE.read(environment),
        huggingFaceEndpoint(environment),
        namespaces,
        HTTP_PORT.readInt(environment, 0, 65535),
        LEADER_ELECTION.readBoolean(environment),
        leaseNamespace,
        Duration.ofSeconds(LEASE_DURATION_SECONDS.readInt(environment, 2, 600)),
        Duration.ofSeconds(USAGE_POLL_SECONDS.readInt(environment, 1, 3600)),
        Duration.ofSeconds(API_UNREACHABLE_SECONDS.readInt(environment, 15, 3600)),
        gpuPrices,
        API_PRICE_PER_IMAGE.readPrice(environment),
        SERVER_SIDE_APPLY.readBoolean(environment),
        PROXY_NETWORK_POLICY.readBoolean(environment));
  }
}
