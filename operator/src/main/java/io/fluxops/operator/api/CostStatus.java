package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Cost per image on the FluxDeployment's GPUs, and the managed API's price to compare with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CostStatus {

  @JsonPropertyDescription("GPU-hours spent divided by images generated, over a trailing window.")
  private Double perImageUsd;

  @JsonPropertyDescription("The managed API's price per image.")
  private Double apiPerImageUsd;

  public Double getPerImageUsd() {
    return perImageUsd;
  }

  public void setPerImageUsd(Double perImageUsd) {
    this.perImageUsd = perImageUsd;
  }

  public Double getApiPerImageUsd() {
    return apiPerImageUsd;
  }

  public void setApiPerImageUsd(Double apiPerImageUsd) {
    this.apiPerImageUsd = apiPerImageUsd;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CostStatus c
        && Objects.equals(perImageUsd, c.perImageUsd)
        && Objects.equals(apiPerImageUsd, c.apiPerImageUsd);
  }

  @Override
  public int hashCode() {
    return Objects.hash(perImageUsd, apiPerImageUsd);
  }
}
