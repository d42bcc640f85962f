package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;

/** TensorRT acceleration of the FLUX transformer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TensorRtSpec {

  @Default("disabled")
  @SchemaFrom(type = TensorRtMode.class)
  @JsonPropertyDescription(
      "disabled, bf16, fp8, or fp4 (NVFP4, Blackwell only). The server gets the precision in"
          + " TRT_TRANSFORMER_PRECISION and TRT_T5_PRECISION.")
  private String mode = TensorRtMode.DISABLED.value();

  @JsonPropertyDescription(
      "A PersistentVolumeClaim that keeps built engines across restarts, mounted under a"
          + " sub-path per GPU architecture so an engine is never loaded on another GPU."
          + " Without it engines are rebuilt on every pod start.")
  private ClaimRef engineCache;

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public ClaimRef getEngineCache() {
    return engineCache;
  }

  public void setEngineCache(ClaimRef engineCache) {
    this.engineCache = engineCache;
  }
}
