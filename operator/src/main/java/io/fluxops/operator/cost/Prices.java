package io.fluxops.operator.cost;

import io.fluxops.operator.api.CostSpec;
import io.fluxops.operator.api.FluxDeploymentSpec;
import io.fluxops.operator.config.OperatorConfig;

/**
 * The prices a FluxDeployment's cost report uses: {@code spec.cost} where it says, else the
 * operator's defaults per GPU type.
 *
 * @param gpuHourlyPriceUsd what one GPU costs per hour
 * @param apiPricePerImageUsd the managed API's price per image
 */
public record Prices(double gpuHourlyPriceUsd, double apiPricePerImageUsd) {

  /** The prices for a spec; a GPU type without a default costs 0 until spec.cost says. */
  public static Prices of(FluxDeploymentSpec spec, OperatorConfig config) {
    CostSpec cost = spec.getCost();
    Double gpu = cost == null ? null : cost.getGpuHourlyPriceUsd();
    Double api = cost == null ? null : cost.getApiPricePerImageUsd();
    if (gpu == null) {
      String type = spec.getGpu() == null ? null : spec.getGpu().getType();
      gpu = type == null ? 0.0 : config.gpuHourlyPriceUsd().getOrDefault(type, 0.0);
    }
    return new Prices(gpu, api == null ? config.apiPricePerImageUsd() : api);
  }
}
