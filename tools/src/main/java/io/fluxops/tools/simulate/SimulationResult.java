package io.fluxops.tools.simulate;

/**
 * What one strategy cost and how long images waited on one trace.
 *
 * @param strategy the strategy's name
 * @param trace the trace's name
 * @param images images served
 * @param gpuHours pod-hours from each pod's creation (the GPU is held while the model loads) to its
 *     stop
 * @param p50WaitSeconds median wait from arrival to the start of generation
 * @param p95WaitSeconds 95th percentile of that wait
 * @param shareOverSlo share of images (0..1) that waited longer than the SLO
 * @param peakReplicas most pods at once
 * @param podStarts pods created after the start of the trace
 */
public record SimulationResult(
    String strategy,
    String trace,
    long images,
    double gpuHours,
    double p50WaitSeconds,
    double p95WaitSeconds,
    double shareOverSlo,
    int peakReplicas,
    int podStarts) {

  /** Share of images (0..1) that started within the SLO. */
  public double shareWithinSlo() {
    return 1 - shareOverSlo;
  }
}
