package io.fluxops.operator.api;

import io.fluxops.common.GpuType;

/**
 * The values of {@code spec.gpu.type} as the CRD lists them: one per {@link GpuType}, which holds
 * the facts. This enum exists because the CRD generator reads enum values through Jackson, and the
 * shared module carries no Jackson.
 */
public enum GpuTypeName implements ApiEnum {
  RTX_4090(GpuType.RTX_4090),
  BLACKWELL(GpuType.BLACKWELL);

  private final GpuType type;

  GpuTypeName(GpuType type) {
    this.type = type;
  }

  @Override
  public String value() {
    return type.value();
  }

  /** The GPU type this value names. */
  public GpuType type() {
    return type;
  }

  @Override
  public String toString() {
    return value();
  }
}
