package io.fluxops.tools.plan;

import io.fluxops.common.FluxModel;
import io.fluxops.common.GpuType;
import io.fluxops.tools.simulate.Trace;
import java.util.Optional;

/**
 * What the {@code plan} command sizes: a model on a GPU type at a monthly volume, with prices.
 *
 * @param model the model (decides whether BFL's licence meters it)
 * @param gpu the GPU type's timings
 * @param imagesPerMonth images generated in a month
 * @param gpuHourlyPriceUsd price of one GPU hour
 * @param apiPricePerImageUsd the managed API's price per image
 * @param sloSeconds the longest an image should wait before its generation starts
 * @param minReplicas pods the autoscaler keeps at the least (1: one warm GPU)
 * @param maxReplicas pods the autoscaler may run at the most (the trace simulation's cap)
 * @param engineeringUsdPerMonth fixed monthly cost of running it yourself besides GPUs (0: GPUs
 *     only)
 * @param trace a request trace whose shape the volume follows; empty: load spread evenly
 */
public record PlanInputs(
    FluxModel model,
    GpuType gpu,
    long imagesPerMonth,
    double gpuHourlyPriceUsd,
    double apiPricePerImageUsd,
    double sloSeconds,
    int minReplicas,
    int maxReplicas,
    double engineeringUsdPerMonth,
    Optional<Trace> trace) {

  /** Validates the inputs; every message names the option to change. */
  public PlanInputs {
    if (imagesPerMonth < 0) {
      throw new IllegalArgumentException(
          "--images-per-month must be 0 or more, got " + imagesPerMonth);
    }
    requirePositive("--gpu-price", gpuHourlyPriceUsd);
    requirePositive("--api-price", apiPricePerImageUsd);
    requirePositive("--slo", sloSeconds);
    if (minReplicas < 0 || maxReplicas < 1 || minReplicas > maxReplicas) {
      throw new IllegalArgumentException(
          "--min-replicas and --max-replicas need 0 <= min <= max and max >= 1, got "
              + minReplicas
              + " and "
              + maxReplicas);
    }
    if (!(engineeringUsdPerMonth >= 0) || Double.isInfinite(engineeringUsdPerMonth)) {
      throw new IllegalArgumentException(
          "--engineering-cost must be 0 or more, got " + engineeringUsdPerMonth);
    }
  }

  private static void requirePositive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be a positive number, got " + value);
    }
  }
}
