package io.fluxops.loader.outcome;

/** A load that cannot go on, with a message that says what to do about it. */
public final class LoadFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final Reason reason;

  public LoadFailure(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public LoadFailure(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
