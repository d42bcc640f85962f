package io.fluxops.operator.api;

/** How the metering sidecar learns about generated images. */
public enum CountingMode implements ApiEnum {
  /** The inference server posts counts to the sidecar, in BFL's own request shape. */
  RELAY("relay"),
  /** The sidecar reads a Prometheus counter from the inference container. */
  METRIC("metric"),
  /**
   * The sidecar takes the serving port, forwards to the server on the pod's loopback and counts the
   * images in its successful answers, as the API {@code spec.server.api} names defines them.
   */
  PROXY("proxy"),
  /** The sidecar follows ComfyUI's history and counts each finished prompt's saved images once. */
  COMFYUI("comfyui");

  private final String value;

  CountingMode(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
