package io.fluxops.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fluxops.autoscale.Replicas;
import io.fluxops.common.GpuType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class SimulatorTest {

  private static final double S = GpuType.RTX_4090.secondsPerImage();

  private final Simulator simulator = new Simulator(GpuType.RTX_4090, EngineBuild.NEVER, 20);

  /** A strategy that starts with {@code initial} pods and then asks what {@code plan} says. */
  private static ScalingStrategy scripted(int initial, IntUnaryOperator plan, List<Replicas> seen) {
    return new ScalingStrategy() {
      @Override
      public String name() {
        return "scripted";
      }

      @Override
      public double pollSeconds() {
        return 5;
      }

      @Override
      public int initialReplicas(int warm) {
        return initial;
      }

      @Override
      public int poll(Instant now, double queueDepth, Replicas replicas) {
        seen.add(replicas);
        long second = (now.toEpochMilli() - Simulator.EPOCH.toEpochMilli()) / 1000;
        return plan.applyAsInt((int) second);
      }
    };
  }

  private static Trace trace(double duration, Trace.Arrival... arrivals) {
    return new Trace("test", duration, List.of(arrivals));
  }

  @Test
  void oneWarmPodServesImagesInArrivalOrder() {
    SimulationResult result =
        simulator.run(trace(10, new Trace.Arrival(0, 3)), new FixedStrategy(1));

    assertThat(result.images()).isEqualTo(3);
    assertThat(result.p50WaitSeconds()).isEqualTo(S);
    assertThat(result.p95WaitSeconds()).isEqualTo(2 * S);
    assertThat(result.shareOverSlo()).isCloseTo(1 / 3.0, within(1e-9));
    // The run lasts until the last image is done.
    assertThat(result.gpuHours()).isCloseTo(3 * S / 3600, within(1e-9));
  }

  @Test
  void aNewPodServesOnlyAfterItsStart() {
    List<Replicas> seen = new ArrayList<>();
    SimulationResult result =
        simulator.run(trace(10, new Trace.Arrival(1, 1)), scripted(0, second -> 1, seen));

    // The profile's 60 s start, from the poll at 0 s; the image came at 1 s.
    assertThat(result.p50WaitSeconds()).isCloseTo(59, within(1e-9));
    assertThat(result.podStarts()).isEqualTo(1);
    assertThat(result.gpuHours()).isCloseTo((60 + S) / 3600, within(1e-9));
    assertThat(seen.get(1)).isEqualTo(new Replicas(1, 0, 1));
  }

  @Test
  void anotherPodStartTimeReplacesTheProfilesForSensitivityRuns() {
    Simulator slow = new Simulator(GpuType.RTX_4090, 120, EngineBuild.NEVER, 20);
    SimulationResult result =
        slow.run(trace(10, new Trace.Arrival(1, 1)), scripted(0, second -> 1, new ArrayList<>()));

    assertThat(slow.podStartSeconds()).isEqualTo(120);
    assertThat(result.p50WaitSeconds()).isCloseTo(119, within(1e-9));
    assertThat(result.gpuHours()).isCloseTo((120 + S) / 3600, within(1e-9));
  }

  @Test
  void onlyTheFirstPodBuildsTheEngineWhenTheCacheIsShared() {
    Simulator blackwell = new Simulator(GpuType.BLACKWELL, EngineBuild.FIRST_POD, 60);
    List<Replicas> seen = new ArrayList<>();
    blackwell.run(
        trace(2000, new Trace.Arrival(1, 1), new Trace.Arrival(1999, 1)),
        scripted(0, second -> second < 1000 ? 1 : 2, seen));

    int readyOne = seen.indexOf(new Replicas(1, 1, 0));
    int readyTwo = seen.indexOf(new Replicas(2, 2, 0));
    // Polls are 5 s apart: 60 + 600 s for the first start, 60 s for the second from 1000 s.
    assertThat(readyOne * 5).isEqualTo(660);
    assertThat(readyTwo * 5).isEqualTo(1060);
  }

  @Test
  void aPodRemovedWhileGeneratingFinishesItsImageFirst() {
    List<Replicas> seen = new ArrayList<>();
    SimulationResult result =
        simulator.run(
            trace(60, new Trace.Arrival(0, 2)), scripted(2, second -> second < 5 ? 2 : 1, seen));

    assertThat(result.p95WaitSeconds()).isZero();
    // One pod for the whole 60 s, the other until its image was done.
    assertThat(result.gpuHours()).isCloseTo((60 + S) / 3600, within(1e-9));
  }

  @Test
  void startsWarmForTheTracesOpeningLoad() {
    List<Trace.Arrival> arrivals = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      arrivals.add(new Trace.Arrival(i * 6, 1));
    }
    // 100 images in 600 s at 14.4 s each keep 2.4 pods busy.
    assertThat(simulator.warmReplicas(new Trace("t", 600, arrivals))).isEqualTo(3);
  }

  @Test
  void percentilesAreNearestRank() {
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(Simulator.percentile(sorted, 0.5)).isEqualTo(5);
    assertThat(Simulator.percentile(sorted, 0.95)).isEqualTo(10);
    assertThat(Simulator.percentile(new double[0], 0.5)).isZero();
  }
}
