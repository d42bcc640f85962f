package io.fluxops.metering.reporter;

/** The key file cannot be used; the message describes the problem, never the key. */
public final class InvalidKeyException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidKeyException(String message) {
    super(message);
  }
}
