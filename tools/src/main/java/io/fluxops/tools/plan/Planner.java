package io.fluxops.tools.plan;

import io.fluxops.autoscale.Priors;
import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.common.GpuType;
import io.fluxops.tools.simulate.AutoscalerStrategy;
import io.fluxops.tools.simulate.EngineBuild;
import io.fluxops.tools.simulate.SimulationResult;
import io.fluxops.tools.simulate.Simulator;
import io.fluxops.tools.simulate.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Sizes a FluxDeployment and its monthly cost. Pure: the same inputs give the same plan.
 *
 * <p>Without a trace the load is spread evenly over the month, so the autoscaler holds the
 * GPU-hours of the generation work itself, and never fewer than {@code minReplicas} GPUs all month:
 * the lower bound of what any autoscaler can do. With a trace, FluxOps' own scaler is replayed over
 * it by the autoscaler module's simulator (start-up time, idle time, stabilization windows
 * included), and the GPU-hours per image it measured are scaled to the monthly volume.
 */
public final class Planner {

  /** Hours in an average month (8,760 / 12). */
  public static final double HOURS_PER_MONTH = 730;

  /** BFL invoices a month in which more than this many images were generated (REFERENCE.md). */
  public static final long LICENCE_INVOICE_THRESHOLD = 100_000;

  private Planner() {}

  /** The plan for {@code inputs}. */
  public static PlanResult plan(PlanInputs inputs) {
    double perHour = 3600 / inputs.gpu().secondsPerImage(inputs.model());
    double busyHours = inputs.imagesPerMonth() / perHour;
    double floorHours = inputs.minReplicas() * HOURS_PER_MONTH;
    double capacity = inputs.maxReplicas() * HOURS_PER_MONTH * perHour;
    long forVolume = (long) Math.min(Long.MAX_VALUE, Math.ceil(busyHours / HOURS_PER_MONTH - 1e-9));
    boolean overCapacity;
    String method;
    int gpus;
    double gpuHours;
    double hoursPerImage = 1 / perHour;
    double p95 = Double.NaN;
    double withinSlo = Double.NaN;
    if (inputs.trace().isPresent()) {
      Trace trace = scaledTo(inputs.trace().get(), inputs.imagesPerMonth());
      SimulationResult run = simulate(inputs, trace);
      method = "trace:" + trace.name();
      gpus = run.peakReplicas();
      overCapacity = gpus >= inputs.maxReplicas();
      hoursPerImage = trace.images() == 0 ? hoursPerImage : run.gpuHours() / trace.images();
      gpuHours = Math.max(floorHours, hoursPerImage * inputs.imagesPerMonth());
      p95 = run.p95WaitSeconds();
      withinSlo = run.shareWithinSlo();
    } else {
      method = "uniform";
      // As the trace simulation does, never more GPUs than the autoscaler may run: what does not
      // fit waits, and the plan says so instead of counting GPUs the deployment cannot have.
      overCapacity = forVolume > inputs.maxReplicas();
      gpus = (int) Math.max(inputs.minReplicas(), Math.min(forVolume, inputs.maxReplicas()));
      gpuHours = Math.max(floorHours, Math.min(busyHours, inputs.maxReplicas() * HOURS_PER_MONTH));
    }
    double images = Math.min(inputs.imagesPerMonth(), overCapacity ? capacity : Double.MAX_VALUE);
    double gpuCost = gpuHours * inputs.gpuHourlyPriceUsd();
    double selfHosted = gpuCost + inputs.engineeringUsdPerMonth();
    return new PlanResult(
        method,
        perHour,
        gpus,
        forVolume,
        overCapacity,
        (long) Math.min(Long.MAX_VALUE, Math.floor(capacity)),
        gpuHours,
        gpuCost,
        selfHosted,
        images == 0 ? Double.NaN : selfHosted / images,
        inputs.imagesPerMonth() * inputs.apiPricePerImageUsd(),
        inputs.apiPricePerImageUsd(),
        breakEven(inputs, hoursPerImage, floorHours),
        inputs.model().metered() && inputs.imagesPerMonth() > LICENCE_INVOICE_THRESHOLD,
        p95,
        withinSlo);
  }

  /**
   * The trace with each arrival's images multiplied so its hourly rate matches {@code
   * imagesPerMonth / HOURS_PER_MONTH}; the fractions are carried over, so the total is exact and
   * the timing (the bursts) is kept.
   */
  static Trace scaledTo(Trace trace, long imagesPerMonth) {
    if (trace.images() == 0 || trace.durationSeconds() <= 0) {
      return trace;
    }
    double wanted = imagesPerMonth / HOURS_PER_MONTH * trace.durationSeconds() / 3600;
    double factor = wanted / trace.images();
    List<Trace.Arrival> arrivals = new ArrayList<>();
    double carried = 0;
    for (Trace.Arrival arrival : trace.arrivals()) {
      carried += arrival.images() * factor;
      int images = (int) Math.floor(carried + 1e-9);
      if (images > 0) {
        arrivals.add(new Trace.Arrival(arrival.atSecond(), images));
        carried -= images;
      }
    }
    return new Trace(trace.name(), trace.durationSeconds(), arrivals);
  }

  private static SimulationResult simulate(PlanInputs inputs, Trace trace) {
    ScalingPolicy policy =
        ScalingPolicy.withRange(Math.max(1, inputs.minReplicas()), inputs.maxReplicas())
            .withTargetQueueDepth(
                GpuType.suggestedTargetQueueDepth(
                    inputs.sloSeconds(), inputs.gpu().secondsPerImage(inputs.model())));
    return Simulator.forModel(inputs.gpu(), inputs.model(), EngineBuild.NEVER, inputs.sloSeconds())
        .run(
            trace,
            new AutoscalerStrategy(
                policy,
                new Priors(
                    inputs.gpu().secondsPerImage(inputs.model()),
                    inputs.gpu().modelLoadSeconds(),
                    inputs.apiPricePerImageUsd() / inputs.gpuHourlyPriceUsd() * 3600),
                AutoscalerStrategy.DEFAULT_POLL_SECONDS,
                AutoscalerStrategy.DEFAULT_COUNT_SECONDS));
  }

  /**
   * The smallest monthly volume at which self-hosting costs no more than the API. Self-hosting
   * costs {@code engineering + price * max(floorHours, hoursPerImage * V)}; the API {@code api *
   * V}.
   */
  private static OptionalLong breakEven(PlanInputs inputs, double hoursPerImage, double floor) {
    double api = inputs.apiPricePerImageUsd();
    double marginal = hoursPerImage * inputs.gpuHourlyPriceUsd();
    if (marginal >= api) {
      return OptionalLong.empty();
    }
    double fixed = inputs.engineeringUsdPerMonth() + floor * inputs.gpuHourlyPriceUsd();
    double onFloor = fixed / api;
    if (onFloor * hoursPerImage <= floor) {
      return OptionalLong.of((long) Math.ceil(onFloor - 1e-9));
    }
    return OptionalLong.of(
        (long) Math.ceil(inputs.engineeringUsdPerMonth() / (api - marginal) - 1e-9));
  }
}
