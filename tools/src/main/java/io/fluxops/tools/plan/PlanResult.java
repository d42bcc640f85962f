package io.fluxops.tools.plan;

import java.util.OptionalLong;

/**
 * What a deployment costs per month, beside the managed API.
 *
 * @param method {@code uniform} (load spread evenly over the month) or {@code trace:<name>}
 * @param imagesPerHourPerGpu images one busy GPU makes in an hour
 * @param gpusNeeded GPUs to provision: the most pods running at once, never above {@code
 *     --max-replicas}
 * @param gpusForVolume GPUs the volume needs spread evenly over the month, uncapped (may exceed
 *     {@code gpusNeeded})
 * @param overCapacity whether {@code --max-replicas} limited the plan: the volume needs more GPUs
 *     (uniform), or the simulated autoscaler ran at its maximum (trace)
 * @param capacityImagesPerMonth images {@code --max-replicas} busy GPUs make in a month
 * @param gpuHoursPerMonth GPU-hours the autoscaled deployment holds in a month
 * @param gpuCostPerMonthUsd those GPU-hours at the hourly price
 * @param selfHostedCostPerMonthUsd GPU cost plus the fixed monthly engineering cost
 * @param selfHostedPerImageUsd self-hosted cost per image (NaN at zero images)
 * @param apiCostPerMonthUsd the managed API's cost for the same images
 * @param apiPerImageUsd the managed API's price per image
 * @param breakEvenImagesPerMonth the volume from which self-hosting costs less than the API; empty
 *     when it never does
 * @param licenceInvoiced whether BFL invoices the month (a metered model above the threshold)
 * @param p95WaitSeconds 95th percentile queue wait in the trace simulation (NaN without a trace)
 * @param shareWithinSlo share of images that started within the SLO (NaN without a trace)
 */
public record PlanResult(
    String method,
    double imagesPerHourPerGpu,
    int gpusNeeded,
    long gpusForVolume,
    boolean overCapacity,
    long capacityImagesPerMonth,
    double gpuHoursPerMonth,
    double gpuCostPerMonthUsd,
    double selfHostedCostPerMonthUsd,
    double selfHostedPerImageUsd,
    double apiCostPerMonthUsd,
    double apiPerImageUsd,
    OptionalLong breakEvenImagesPerMonth,
    boolean licenceInvoiced,
    double p95WaitSeconds,
    double shareWithinSlo) {}
