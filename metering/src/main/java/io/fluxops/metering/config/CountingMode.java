package io.fluxops.metering.config;

import java.util.Locale;

/** Where the sidecar learns how many images were generated. */
public enum CountingMode {
  /** The inference server POSTs each count to the sidecar, in BFL's own request shape. */
  RELAY,
  /** The sidecar scrapes a Prometheus counter from the inference server and records increases. */
  METRIC,
  /**
   * The sidecar serves the pod's serving port, forwards to the server on localhost, and counts the
   * images in successful responses of the API {@code FLUXOPS_SERVER_API} names.
   */
  PROXY,
  /**
   * The sidecar follows ComfyUI's history on localhost ({@code FLUXOPS_UPSTREAM_URL}) and counts
   * the saved images of each finished prompt once.
   */
  COMFYUI;

  /** The value as written in {@code FLUXOPS_COUNTING} and shown in {@code /status}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
