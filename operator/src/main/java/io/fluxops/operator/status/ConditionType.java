package io.fluxops.operator.status;

/** The condition types a FluxDeployment reports, in the order they are listed. */
public enum ConditionType {
  READY("Ready"),
  PROGRESSING("Progressing"),
  GPU_AVAILABLE("GPUAvailable"),
  LICENSE_CONFIGURED("LicenseConfigured"),
  METERING("Metering"),
  AUTOSCALING("Autoscaling"),
  MODEL_CACHED("ModelCached");

  private final String type;

  ConditionType(String type) {
    this.type = type;
  }

  /** The {@code type} field as written in status. */
  public String type() {
    return type;
  }
}
