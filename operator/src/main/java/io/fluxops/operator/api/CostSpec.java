package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Prices for the cost-per-image report. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CostSpec {

  @Min(0)
  @Max(1000)
  @JsonPropertyDescription(
      "What one GPU costs per hour, in USD; the operator's default for the GPU type if unset.")
  private Double gpuHourlyPriceUsd;

  @Min(0)
  @Max(10)
  @JsonPropertyDescription(
      "The managed API's price per image to compare with, in USD (0.04 for FLUX Pro 1.1 on"
          + " BFL's API) if unset.")
  private Double apiPricePerImageUsd;

  public Double getGpuHourlyPriceUsd() {
    return gpuHourlyPriceUsd;
  }

  public void setGpuHourlyPriceUsd(Double gpuHourlyPriceUsd) {
    this.gpuHourlyPriceUsd = gpuHourlyPriceUsd;
  }

  public Double getApiPricePerImageUsd() {
    return apiPricePerImageUsd;
  }

  public void setApiPricePerImageUsd(Double apiPricePerImageUsd) {
    this.apiPricePerImageUsd = apiPricePerImageUsd;
  }
}
