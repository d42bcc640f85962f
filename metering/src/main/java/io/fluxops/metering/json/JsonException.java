package io.fluxops.metering.json;

/** Text that is not the JSON this sidecar expects; the message says where and why. */
public final class JsonException extends Exception {
  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}
