package io.fluxops.operator.health;

/**
 * A reason the operator cannot start that the person running it fixes: one line to print, and the
 * exit code (2 for a setting or file to correct, 1 for a cluster that does not answer).
 */
public final class StartupError extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public StartupError(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
