package io.fluxops.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.common.GpuType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The claims BENCHMARKS.md makes, checked on the committed traces at FluxOps' defaults against HPA
 * and KEDA at theirs, and on traces of every shape made from other seeds.
 */
class BenchmarkTest {

  private static final Benchmark.Setup SETUP = Benchmark.Setup.defaults(GpuType.RTX_4090);

  /** Generated traces that miss 99 % within the SLO (BENCHMARKS.md says why). */
  private static final Set<String> SHORT_OF_99 = Set.of("heavy-tailed-101", "heavy-tailed-303");

  private static final List<Trace> TRACES = new ArrayList<>();
  private static List<List<SimulationResult>> rows;

  @BeforeAll
  static void run() {
    for (String name : TraceGenerator.NAMES) {
      TRACES.add(TraceCsv.load(name));
    }
    rows = Benchmark.run(SETUP);
  }

  private static Benchmark.Verdict verdict(String trace) {
    int i = TraceGenerator.NAMES.indexOf(trace);
    return Benchmark.verdict(TRACES.get(i), GpuType.RTX_4090, rows.get(i));
  }

  private static SimulationResult result(String trace, String strategy) {
    return rows.get(TraceGenerator.NAMES.indexOf(trace)).stream()
        .filter(r -> r.strategy().equals(strategy))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void onEveryCommittedTraceUsesFewerGpuHoursThanHpaAndKedaWithNoMoreImagesOverTheSlo() {
    for (String trace : TraceGenerator.NAMES) {
      Benchmark.Verdict v = verdict(trace);
      assertThat(v.fewerGpuHours()).as("%s: GPU-hours %s", trace, v).isTrue();
      assertThat(v.noMoreOverSlo()).as("%s: over the SLO %s", trace, v).isTrue();
    }
  }

  @Test
  void staysWithinFivePercentOfTheBestFixedProvisioningAndBelowItWhereTheLoadVaries() {
    for (String trace : TraceGenerator.NAMES) {
      Benchmark.Verdict v = verdict(trace);
      assertThat(v.withinFivePercentOfFixed()).as("%s %s", trace, v).isTrue();
      if (!trace.equals("steady")) {
        assertThat(v.gpuHours()).as(trace).isLessThan(v.fixedGpuHours());
      }
    }
  }

  @Test
  void withPodsThatTakeTwoMinutesToStartItStillUsesFewerGpuHoursAndKeepsNoMoreImagesLate() {
    Benchmark.Setup slow = SETUP.withStart(120);
    for (String trace : TraceGenerator.NAMES) {
      Benchmark.Verdict v =
          Benchmark.verdict(
              TraceCsv.load(trace),
              GpuType.RTX_4090,
              Benchmark.compare(TraceCsv.load(trace), slow));
      assertThat(v.fewerGpuHours()).as("%s: GPU-hours %s", trace, v).isTrue();
      // After an idle hour at zero no pod ordered at the spike is ready before its images are
      // late; the HPA's replica that never goes away serves a few of them (BENCHMARKS.md).
      if (!trace.equals("spike-after-idle")) {
        assertThat(v.noMoreOverSlo()).as("%s: over the SLO %s", trace, v).isTrue();
      }
    }
  }

  @Test
  void keeps99PercentWithinTheSloOnTheTracesWhereReactiveScalingCan() {
    for (String trace : List.of("steady", "diurnal", "bursty", "ramped")) {
      assertThat(result(trace, Benchmark.FLUXOPS).shareWithinSlo())
          .as(trace)
          .isGreaterThanOrEqualTo(0.99);
    }
  }

  @Test
  void onHeavyTailedTrafficTheLearnedKeepAliveKeeps99PercentWithinTheSlo() {
    // Before each replica's keep-alive was learned from its idle gaps: 96.2 %; learned from the
    // gaps alone: 98.3 %, and 18.3 % over the SLO with 2-minute starts; with levels held past the
    // longest silence they have seen: 99.4 % and 11.5 %; priced at their bursts' rate: 99.5 %
    // (BENCHMARKS.md).
    SimulationResult heavy = result("heavy-tailed", Benchmark.FLUXOPS);
    assertThat(heavy.shareWithinSlo()).isGreaterThanOrEqualTo(0.99);
    Benchmark.Setup slow = SETUP.withStart(120);
    SimulationResult slowHeavy =
        slow.simulator().run(TraceCsv.load("heavy-tailed"), Benchmark.fluxops(slow));
    assertThat(slowHeavy.shareOverSlo()).isLessThan(0.15);
  }

  @Test
  void withoutImageCountsTheQueueRuleStaysWhatItWas() {
    // The figures the queue rule gave before the arrival rule (BENCHMARKS.md), unchanged.
    assertThat(result("steady", Benchmark.FLUXOPS_QUEUE).gpuHours())
        .isCloseTo(28.05, org.assertj.core.data.Offset.offset(0.01));
    assertThat(result("bursty", Benchmark.FLUXOPS_QUEUE).gpuHours())
        .isCloseTo(23.21, org.assertj.core.data.Offset.offset(0.01));
    for (String trace : TraceGenerator.NAMES) {
      assertThat(result(trace, Benchmark.FLUXOPS).gpuHours())
          .as(trace)
          .isLessThan(result(trace, Benchmark.FLUXOPS_QUEUE).gpuHours());
    }
  }

  @Test
  void onTracesFromOtherSeedsItStillBeatsHpaAndKedaOnGpuHoursAndTheSlo() {
    int fewer = 0;
    int noMore = 0;
    int fixed = 0;
    List<Trace> traces = Benchmark.generatedTraces();
    for (Trace trace : traces) {
      List<SimulationResult> results = Benchmark.compare(trace, SETUP);
      Benchmark.Verdict v = Benchmark.verdict(trace, GpuType.RTX_4090, results);
      SimulationResult fluxops =
          results.stream()
              .filter(r -> r.strategy().equals(Benchmark.FLUXOPS))
              .findFirst()
              .orElseThrow();
      if (SHORT_OF_99.contains(trace.name())) {
        // Below 99 % within the SLO, but far below the HPA and KEDA (7.5 % and 6.0 %); 3.2 % each
        // before a level was priced at its bursts' rate (BENCHMARKS.md).
        assertThat(fluxops.shareOverSlo()).as(trace.name()).isLessThan(0.02);
      } else if (!trace.name().startsWith("spike-after-idle")) {
        // 99 % within the SLO wherever reactive scaling can reach it: all but a spike after an
        // idle hour at zero.
        assertThat(fluxops.shareWithinSlo()).as(trace.name()).isGreaterThanOrEqualTo(0.99);
      }
      fewer += v.fewerGpuHours() ? 1 : 0;
      noMore += v.noMoreOverSlo() ? 1 : 0;
      fixed += v.withinFivePercentOfFixed() ? 1 : 0;
    }
    assertThat(traces).hasSize(18);
    assertThat(fewer).isEqualTo(traces.size());
    // Not met (BENCHMARKS.md): bursty-303 and ramped-303 keep 0.19 % and 0.06 % of their images
    // over the SLO where the HPA keeps 0.06 % and 0.00 %; steady-202 is 11 % above fixed-7, which
    // runs at 91 % utilisation with hindsight.
    assertThat(noMore).isGreaterThanOrEqualTo(16);
    assertThat(fixed).isGreaterThanOrEqualTo(17);
  }

  @Test
  void printsTheTableAndTheTargets() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Benchmark.print(SETUP, TRACES, rows, new PrintStream(out, true, StandardCharsets.UTF_8));
    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(table).contains("| trace | strategy | GPU-hours | × oracle |");
    assertThat(table.lines().filter(line -> line.startsWith("| steady |"))).hasSize(8);
    assertThat(table).contains("| **6 traces** | **6 fewer** | **6 no more** | **6 within 5 %** |");
  }

  @Test
  void theClairvoyantBoundLiesBetweenTheOracleAndFixedProvisioning() {
    for (int i = 0; i < TRACES.size(); i++) {
      Trace trace = TRACES.get(i);
      double clairvoyant = Simulations.clairvoyantGpuHours(trace, GpuType.RTX_4090, 600);
      assertThat(clairvoyant)
          .isGreaterThanOrEqualTo(Simulations.oracleGpuHours(trace, GpuType.RTX_4090))
          .isLessThanOrEqualTo(rows.get(i).get(4).gpuHours());
    }
    // One image of 14.4 s in a 600 s slice still takes a whole replica for the slice.
    Trace one = new Trace("one", 600, List.of(new Trace.Arrival(0, 1)));
    assertThat(Simulations.clairvoyantGpuHours(one, GpuType.RTX_4090, 600)).isEqualTo(600 / 3600.0);
  }

  @Test
  void scheduledWarmCapacityDoesNotPayOnTheDiurnalTrace() {
    // The best schedule there could be, known with hindsight: each hour's load kept warm, or the
    // next hour's when higher. The scaler is already above it, or the schedule only adds pods.
    Trace diurnal = TraceCsv.load("diurnal");
    double[] load = new double[25];
    for (Trace.Arrival arrival : diurnal.arrivals()) {
      load[(int) (arrival.atSecond() / 3600)] += arrival.images() * 14.4 / 3600;
    }
    SimulationResult plain = SETUP.simulator().run(diurnal, Benchmark.fluxops(SETUP));
    SimulationResult scheduled =
        SETUP
            .simulator()
            .run(
                diurnal,
                Benchmark.fluxops(SETUP)
                    .withSchedule(
                        "scheduled",
                        second -> {
                          int hour = Math.min(23, (int) (second / 3600));
                          return (int) Math.floor(1.2 * Math.max(load[hour], load[hour + 1]));
                        }));
    assertThat(scheduled.gpuHours()).isGreaterThan(plain.gpuHours());
    assertThat(scheduled.shareOverSlo()).isGreaterThanOrEqualTo(plain.shareOverSlo());
  }

  @Test
  void sameInputsGiveTheSameResult() {
    Trace trace = TraceCsv.load("heavy-tailed");
    assertThat(SETUP.simulator().run(trace, Benchmark.fluxops(SETUP)))
        .isEqualTo(SETUP.simulator().run(trace, Benchmark.fluxops(SETUP)));
  }
}
