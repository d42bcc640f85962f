package io.fluxops.operator.api;

/**
 * The TensorRT precision of the FLUX transformer. {@code fp4} is NVFP4 and needs a Blackwell GPU;
 * the T5 text encoder runs in fp8 whenever the transformer is quantised, bf16 otherwise.
 */
public enum TensorRtMode implements ApiEnum {
  DISABLED("disabled", null, null),
  BF16("bf16", "bf16", "bf16"),
  FP8("fp8", "fp8", "fp8"),
  FP4("fp4", "fp4", "fp8");

  private final String value;
  private final String transformerPrecision;
  private final String t5Precision;

  TensorRtMode(String value, String transformerPrecision, String t5Precision) {
    this.value = value;
    this.transformerPrecision = transformerPrecision;
    this.t5Precision = t5Precision;
  }

  @Override
  public String value() {
    return value;
  }

  public boolean enabled() {
    return this != DISABLED;
  }

  /** Precision of the transformer engine, or {@code null} when TensorRT is off. */
  public String transformerPrecision() {
    return transformerPrecision;
  }

  /** Precision of the T5 encoder engine, or {@code null} when TensorRT is off. */
  public String t5Precision() {
    return t5Precision;
  }

  @Override
  public String toString() {
    return value;
  }
}
