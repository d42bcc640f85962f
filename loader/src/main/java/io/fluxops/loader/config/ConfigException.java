package io.fluxops.loader.config;

/** A setting a person must fix; the message names the variable and what to change. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String key, String problem) {
    super(key + " " + problem);
  }
}
