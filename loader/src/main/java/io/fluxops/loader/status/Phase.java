package io.fluxops.loader.status;

/** Where a load stands, as {@code /status} and {@code status.modelCache.phase} name it. */
public enum Phase {
  RESOLVING("Resolving"),
  DOWNLOADING("Downloading"),
  COMPLETE("Complete"),
  FAILED("Failed");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
