package io.fluxops.operator.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How this operator instance runs, read once at start from {@link OperatorOptions}.
 *
 * @param meteringImage the metering sidecar's image
 * @param loaderImage the model loader Job's image
 * @param huggingFaceEndpoint the Hub's base URL the loader Jobs use
 * @param watchNamespaces namespaces to watch; empty means all
 * @param httpPort port of {@code /healthz} and {@code /metrics}
 * @param leaderElection whether to take a Lease before reconciling
 * @param leaseNamespace namespace of the Lease
 * @param leaseDuration how long the Lease holds without renewal
 * @param usagePollInterval how often the metering sidecars are read
 * @param apiUnreachableAfter how long the API server may not answer before {@code /healthz} fails
 * @param gpuHourlyPriceUsd default price of one GPU hour per GPU type value
 * @param apiPricePerImageUsd the managed API's default price per image
 * @param serverSideApply whether owned objects and status are written with server-side apply
 * @param proxyNetworkPolicy whether a FluxDeployment counted by proxy gets a NetworkPolicy that
 *     keeps its server's own port out of other pods' reach
 */
public record OperatorConfig(
    String meteringImage,
    String loaderImage,
    String huggingFaceEndpoint,
    Set<String> watchNamespaces,
    int httpPort,
    boolean leaderElection,
    String leaseNamespace,
    Duration leaseDuration,
    Duration usagePollInterval,
    Duration apiUnreachableAfter,
    Map<String, Double> gpuHourlyPriceUsd,
    double apiPricePerImageUsd,
    boolean serverSideApply,
    boolean proxyNetworkPolicy) {

  public static final String LEASE_NAME = "fluxops-operator";

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
    gpuHourlyPriceUsd = Map.copyOf(gpuHourlyPriceUsd);
  }
}
