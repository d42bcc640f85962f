package io.fluxops.metering.config;

/** A configuration value the sidecar cannot start with; the message names the variable. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String variable;

  public ConfigException(String variable, String problem) {
    super(variable + ": " + problem);
    this.variable = variable;
  }

  /** The environment variable at fault. */
  public String variable() {
    return variable;
  }
}
