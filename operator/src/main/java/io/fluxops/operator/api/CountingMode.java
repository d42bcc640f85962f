package io.fluxops.operator.api;

/** How the metering sidecar learns about generated images. */
public enum CountingMode implements ApiEnum {
  /** The inference server posts counts to the sidecar, in BFL's own request shape. */
  RELAY("relay"),
  /** The sidecar reads a Prometheus counter from the inference container. */
  METRIC("metric");

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
