package io.fluxops.metering.config;

import java.util.Optional;

/**
 * Labels that place this sidecar's metrics on a dashboard. Each is optional because the sidecar
 * also runs outside the operator (tests, local runs).
 *
 * @param namespace the FluxDeployment's namespace
 * @param instance the FluxDeployment's name
 * @param gpu the GPU type, {@code rtx-4090} or {@code blackwell}
 */
public record MetricLabels(
    Optional<String> namespace, Optional<String> instance, Optional<String> gpu) {

  /** No labels beyond the model. */
  public static MetricLabels none() {
    return new MetricLabels(Optional.empty(), Optional.empty(), Optional.empty());
  }
}
