package io.fluxops.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.autoscale.Decision.Basis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The arrival rule, against a small discrete model of GPU pods: one image at a time per pod, a
 * fixed time per image, pods that start after a delay, a poll every 5 s and the pods' image count
 * as the operator reads it.
 */
class ArrivalRuleTest {

  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  private static final double S = 14.4;

  /** The pods and their queue, stepped a second at a time. */
  private static final class Pods {
    final double secondsPerImage;
    final double startSeconds;
    final List<double[]> pods = new ArrayList<>(); // {readyAt, busyUntil}
    int queued;
    long done;

    Pods(int ready, double secondsPerImage, double startSeconds) {
      this.secondsPerImage = secondsPerImage;
      this.startSeconds = startSeconds;
      for (int i = 0; i < ready; i++) {
        pods.add(new double[] {0, 0});
      }
    }

    void second(double now, int arrivals) {
      queued += arrivals;
      for (double[] pod : pods) {
        if (pod[1] > 0 && pod[1] <= now) {
          pod[1] = 0;
          done++;
        }
        if (pod[0] <= now && pod[1] == 0 && queued > 0) {
          queued--;
          pod[1] = now + secondsPerImage;
        }
      }
    }

    int running() {
      return (int) pods.stream().filter(p -> p[1] > 0).count();
    }

    Replicas replicas(double now) {
      int ready = (int) pods.stream().filter(p -> p[0] <= now).count();
      return new Replicas(pods.size(), ready, pods.size() - ready);
    }

    void resize(int desired, double now) {
      while (pods.size() < desired) {
        pods.add(new double[] {now + startSeconds, 0});
      }
      // Starting pods first, then idle ones; a busy pod finishes its image (counted) first.
      pods.sort((a, b) -> Double.compare(b[0], a[0]));
      while (pods.size() > desired) {
        double[] removed = pods.remove(0);
        if (removed[1] > 0) {
          done++;
        }
      }
    }
  }

  private final SimClock clock = new SimClock(START);
  private ScalerState state = ScalerState.initial();
  private final List<Decision> decisions = new ArrayList<>();

  private QueueDepthScaler scaler(Priors priors) {
    return new QueueDepthScaler(ScalingPolicy.withRange(0, 40), priors, clock);
  }

  /**
   * Runs {@code seconds} of Poisson arrivals at {@code rate(t)} images a second, polling every 5 s
   * and counting images every 15 s (the operator's usage poll); {@code counts} false leaves them
   * missing.
   */
  private Pods run(
      QueueDepthScaler scaler,
      Pods pods,
      double from,
      double seconds,
      DoubleUnaryOperator rate,
      boolean counts) {
    Random random = new Random(7);
    long counted = pods.done;
    for (double t = from; t < from + seconds; t++) {
      pods.second(t, poisson(random, rate.applyAsDouble(t)));
      if ((long) t % 15 == 0) {
        counted = pods.done;
      }
      if ((long) t % 5 == 0) {
        clock.set(START.plusSeconds((long) t));
        Decision d =
            scaler.decide(
                state,
                Reading.of(pods.queued + pods.running()),
                pods.replicas(t),
                counts ? ImageCount.of(counted) : ImageCount.missing("no metering sidecar"));
        state = d.state();
        if (Boolean.getBoolean("debug.pods") && d.desiredReplicas() != pods.pods.size()) {
          System.out.println(
              t + " " + pods.replicas(t) + " -> " + d.desiredReplicas() + " " + state.podStart());
        }
        decisions.add(d);
        pods.resize(d.desiredReplicas(), t);
      }
    }
    return pods;
  }

  /** A Poisson draw of {@code mean}, by inversion; shared with the other arrival tests. */
  static int poisson(Random random, double mean) {
    int k = 0;
    double p = Math.exp(-mean);
    double u = random.nextDouble();
    double cumulative = p;
    while (u > cumulative) {
      k++;
      p *= mean / k;
      cumulative += p;
    }
    return k;
  }

  private Decision last() {
    return decisions.get(decisions.size() - 1);
  }

  private double meanReplicasAfter(int fromDecision) {
    return decisions.subList(fromDecision, decisions.size()).stream()
        .mapToInt(Decision::desiredReplicas)
        .average()
        .orElseThrow();
  }

  @Test
  void learnsTheTimePerImageFromTheImageCountsWithoutAPrior() {
    run(scaler(Priors.NONE), new Pods(8, S, 60), 0, 1800, t -> 0.5, true);
    assertThat(last().sizing().basis()).isEqualTo(Basis.ARRIVALS);
    assertThat(last().sizing().secondsPerImage())
        .isCloseTo(S, org.assertj.core.data.Offset.offset(0.7));
    assertThat(last().sizing().arrivalsPerSecond())
        .isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.1));
  }

  @Test
  void waitsForMeasuredImagesBeforeLeavingTheQueueRuleWhenThereIsNoPrior() {
    run(scaler(Priors.NONE), new Pods(2, S, 60), 0, 10, t -> 0.1, true);
    assertThat(decisions.get(0).sizing().basis()).isEqualTo(Basis.QUEUE);
    assertThat(decisions.get(0).reason()).contains("the time per image is not measured yet");
  }

  @Test
  void sizesASteadyLoadForItsRateNotForTheQueue() {
    run(scaler(Priors.secondsPerImage(S)), new Pods(8, S, 60), 0, 3 * 3600, t -> 0.5, true);
    double byArrivals = meanReplicasAfter(100);
    decisions.clear();
    state = ScalerState.initial();
    run(scaler(Priors.secondsPerImage(S)), new Pods(8, S, 60), 0, 3 * 3600, t -> 0.5, false);
    double byQueue = meanReplicasAfter(100);
    // 7.2 replicas' work: 8 or 9 replicas, where ceil(queue / 2) swings with every burst of noise.
    assertThat(byArrivals).isBetween(7.9, 9.2).isLessThan(byQueue);
  }

  @Test
  void theFirstDecisionsOnArrivalsSayTheRateIsNotMeasuredYetRatherThanNaN() {
    run(scaler(Priors.secondsPerImage(S)), new Pods(2, S, 60), 0, 1, t -> 0.3, true);

    assertThat(decisions.get(0).sizing().basis()).isEqualTo(Basis.ARRIVALS);
    assertThat(decisions.get(0).reason())
        .contains("arrivals not measured yet")
        .doesNotContain("NaN");
  }

  @Test
  void fallsBackToTheQueueRuleWithoutImageCountsAndSaysWhy() {
    run(scaler(Priors.secondsPerImage(S)), new Pods(4, S, 60), 0, 60, t -> 0.3, false);
    assertThat(last().sizing().basis()).isEqualTo(Basis.QUEUE);
    assertThat(last().reason())
        .contains("sizing on queue depth alone: no metering sidecar")
        .contains("at 2 per replica");
  }

  @Test
  void growsForABurstWithinAFewPollsAndShrinksSoonAfterItEnds() {
    QueueDepthScaler scaler = scaler(Priors.secondsPerImage(S));
    Pods pods = run(scaler, new Pods(2, S, 60), 0, 900, t -> 0.1, true);
    int before = pods.pods.size();
    int burstStart = decisions.size();
    run(scaler, pods, 900, 600, t -> 0.6, true);
    // Within 30 s of the step the scaler has ordered most of the 8.6 replicas' work.
    int after30s =
        decisions.subList(burstStart, burstStart + 6).stream()
            .mapToInt(Decision::desiredReplicas)
            .max()
            .orElseThrow();
    assertThat(before).isLessThanOrEqualTo(3);
    assertThat(after30s).isGreaterThanOrEqualTo(7);
    int end = decisions.size();
    run(scaler, pods, 1500, 600, t -> 0.1, true);
    // Five minutes after the burst, the size is back near the base load's.
    assertThat(decisions.get(end + 60).desiredReplicas()).isLessThanOrEqualTo(4);
  }

  @Test
  void keepsTheLastReplicaUntilTheQueueWasIdleForTheIdleTime() {
    QueueDepthScaler scaler =
        new QueueDepthScaler(
            ScalingPolicy.withRange(0, 8).withIdleBeforeZero(Duration.ofSeconds(300)),
            Priors.secondsPerImage(S),
            clock);
    Pods pods = run(scaler, new Pods(1, S, 60), 0, 600, t -> 0.02, true);
    int quiet = decisions.size();
    run(scaler, pods, 600, 600, t -> 0, true);
    // The last image started by 600 s and took 14.4 s: idle from about 615 s; zero after 300 s
    // more and the 60 s window.
    for (int i = quiet; i < quiet + 60; i++) {
      assertThat(decisions.get(i).desiredReplicas()).as("decision %d", i).isGreaterThan(0);
    }
    assertThat(last().desiredReplicas()).isZero();
  }

  /** The fewest replicas decided in each period of {@code period} seconds, in order. */
  private List<Integer> fewestPerPeriod(int period) {
    List<Integer> fewest = new ArrayList<>();
    for (int i = 0; i < decisions.size(); i++) {
      int p = i * 5 / period;
      if (fewest.size() <= p) {
        fewest.add(Integer.MAX_VALUE);
      }
      fewest.set(p, Math.min(fewest.get(p), decisions.get(i).desiredReplicas()));
    }
    return fewest;
  }

  @Test
  void aBurstThatFindsNoReplicaIsOrderedForAtTheRateTheLastOneCameAt() {
    // Two minutes at 0.5 images/s every half hour: the silences outlast a cold start's price, so
    // each burst finds no replica. A pod ordered after its first poll is ready only after the
    // images of its start are late, so the first order is for the last burst's rate.
    DoubleUnaryOperator rare = t -> t % 1800 < 120 ? 0.5 : 0;
    run(scaler(new Priors(S, 60)), new Pods(0, S, 60), 0, 1800 * 4, rare, true);
    List<Decision> fromZero = new ArrayList<>();
    for (int i = 0; i < decisions.size(); i++) {
      int before = i == 0 ? 0 : decisions.get(i - 1).desiredReplicas();
      if (before == 0 && decisions.get(i).desiredReplicas() > 0) {
        fromZero.add(decisions.get(i));
      }
    }
    assertThat(fromZero).hasSize(4);
    // The first burst has no burst before it: one pod for the image in the queue.
    assertThat(fromZero.get(0).desiredReplicas()).isEqualTo(1);
    // 0.5 images/s at 14.4 s per image is 7.2 replicas busy: the size that starts them within the
    // wait budget, at once.
    for (Decision onset : fromZero.subList(1, 4)) {
      assertThat(onset.desiredReplicas()).isBetween(9, 14);
      assertThat(onset.reason()).contains("the last burst came at");
    }
  }

  @Test
  void theFirstOrderAtZeroStandsWhenTheScalerDecidesAgainBeforeThePodsExist() {
    // As the operator does when its apply is retried, or while a model cache holds the workload
    // at zero: the same reading again, and polls later, with no replica yet.
    DoubleUnaryOperator rare = t -> t % 1800 < 120 ? 0.5 : 0;
    QueueDepthScaler scaler = scaler(new Priors(S, 60));
    Pods pods = run(scaler, new Pods(0, S, 60), 0, 1800 * 2, rare, true);
    assertThat(pods.pods).isEmpty();
    Replicas none = new Replicas(0, 0, 0);
    clock.set(START.plusSeconds(3600));
    Decision first = scaler.decide(state, Reading.of(2), none, ImageCount.of(pods.done));
    Decision again = scaler.decide(first.state(), Reading.of(2), none, ImageCount.of(pods.done));
    clock.set(START.plusSeconds(3605));
    Decision held = scaler.decide(again.state(), Reading.of(4), none, ImageCount.of(pods.done));

    assertThat(first.desiredReplicas()).isGreaterThan(4);
    assertThat(first.reason()).contains("the last burst came at");
    assertThat(again.desiredReplicas()).isEqualTo(first.desiredReplicas());
    assertThat(held.desiredReplicas()).isGreaterThanOrEqualTo(first.desiredReplicas());
  }

  @Test
  void theFirstOrderAtZeroStaysWithinMaxReplicasAndIsMadeOnAPartialReadingToo() {
    DoubleUnaryOperator rare = t -> t % 1800 < 120 ? 0.5 : 0;
    QueueDepthScaler capped =
        new QueueDepthScaler(ScalingPolicy.withRange(0, 4), new Priors(S, 60), clock);
    Pods pods = run(capped, new Pods(0, S, 60), 0, 1800 * 2, rare, true);
    clock.set(START.plusSeconds(3600));
    Replicas none = new Replicas(0, 0, 0);

    // The last burst asked for 9-11 replicas; the policy allows 4.
    Decision first = capped.decide(state, Reading.of(2), none, ImageCount.of(pods.done));
    assertThat(first.desiredReplicas()).isEqualTo(4);
    // A queue read from some sources only is at least that deep: it may grow the workload.
    Decision partial =
        capped.decide(
            state,
            Reading.partial(2, "1 of 2 pods did not answer"),
            none,
            ImageCount.of(pods.done));
    assertThat(partial.desiredReplicas()).isEqualTo(4);
  }

  @Test
  void keepsTheLastReplicaThroughSilencesThatUsuallyEndOnceItHasSeenThem() {
    // On/off traffic: two minutes at 0.5 images/s, then eight minutes of nothing, again and again.
    DoubleUnaryOperator onOff = t -> t % 600 < 120 ? 0.5 : 0;
    run(scaler(new Priors(S, 60)), new Pods(1, S, 60), 0, 600 * 12, onOff, true);
    List<Integer> fewest = fewestPerPeriod(600);
    // Before it has seen five gaps it goes to zero after the idle time and the window (360 s);
    // afterwards a cold start costs more than the silences do, and the last replica stays.
    assertThat(fewest.get(1)).isZero();
    assertThat(fewest.subList(6, 12)).allMatch(n -> n >= 1);
    assertThat(last().state().idleGaps()).isNotEmpty();
  }

  @Test
  void stillGoesToZeroWhereSilencesOutlastWhatAColdStartCosts() {
    DoubleUnaryOperator rare = t -> t % 1800 < 60 ? 0.3 : 0;
    run(scaler(new Priors(S, 60)), new Pods(1, S, 60), 0, 1800 * 8, rare, true);
    assertThat(fewestPerPeriod(1800)).allMatch(n -> n == 0);
  }

  @Test
  void aWindowTheUserSetIsKeptAsSetWithNoLearnedKeepAlive() {
    DoubleUnaryOperator onOff = t -> t % 600 < 120 ? 0.5 : 0;
    QueueDepthScaler scaler =
        new QueueDepthScaler(
            ScalingPolicy.withRange(0, 40).withWindows(Duration.ZERO, Duration.ofSeconds(60)),
            new Priors(S, 60),
            clock);
    run(scaler, new Pods(1, S, 60), 0, 600 * 12, onOff, true);
    assertThat(fewestPerPeriod(600).subList(1, 12)).allMatch(n -> n == 0);
    assertThat(last().state().idleGaps()).isEmpty();
  }

  @Test
  void learnsHowLongPodsTakeToStart() {
    QueueDepthScaler scaler = scaler(new Priors(S, 60));
    Pods pods = new Pods(1, S, 120);
    run(scaler, pods, 0, 600, t -> 0.05, true);
    run(scaler, pods, 600, 1200, t -> t % 600 < 200 ? 0.6 : 0.05, true);
    assertThat(last().sizing().podStartSeconds()).isGreaterThan(100);
  }

  @Test
  void holdsAReplicaTheLoadNoLongerNeedsForAsLongAsPodsTakeToStart() {
    QueueDepthScaler scaler = scaler(new Priors(S, 60));
    Pods pods = new Pods(1, S, 120);
    run(scaler, pods, 0, 600, t -> 0.05, true);
    run(scaler, pods, 600, 2400, t -> t % 600 < 200 ? 0.6 : 0.05, true);
    assertThat(last().sizing().podStartSeconds()).isGreaterThan(100);
    // Once the scaler has measured the slow starts, its scale-down window is as long as one.
    long window =
        decisions.subList(decisions.size() - 120, decisions.size()).stream()
            .map(
                d ->
                    java.util.regex.Pattern.compile("within the (\\d+)s scale-down")
                        .matcher(d.reason()))
            .filter(java.util.regex.Matcher::find)
            .mapToLong(m -> Long.parseLong(m.group(1)))
            .max()
            .orElseThrow();
    assertThat(window).isGreaterThanOrEqualTo((long) last().sizing().podStartSeconds());
  }

  @Test
  void aRestartMidBurstKeepsTheDecision() {
    QueueDepthScaler scaler = scaler(Priors.secondsPerImage(S));
    Pods pods = run(scaler, new Pods(2, S, 60), 0, 900, t -> 0.1, true);
    run(scaler, pods, 900, 120, t -> 0.6, true);
    ScalerState midBurst = state;
    int size = pods.pods.size();
    // The operator that carried on, and one restarted from the persisted memory, decide alike.
    clock.set(START.plusSeconds(1025));
    Reading reading = Reading.of(pods.queued + pods.running());
    Decision carriedOn =
        scaler.decide(midBurst, reading, pods.replicas(1025), ImageCount.of(pods.done));
    Decision restarted =
        scaler(Priors.secondsPerImage(S))
            .decide(midBurst, reading, pods.replicas(1025), ImageCount.of(pods.done));
    assertThat(restarted).isEqualTo(carriedOn);
    assertThat(restarted.desiredReplicas()).isGreaterThanOrEqualTo(size);
    // Without the memory, the size is held for a window rather than dropped to the burst's start.
    Decision forgot =
        scaler(Priors.secondsPerImage(S))
            .decide(ScalerState.initial(), reading, pods.replicas(1025), ImageCount.of(pods.done));
    assertThat(forgot.desiredReplicas()).isGreaterThanOrEqualTo(size);
  }

  @Test
  void decidingAgainAtTheSizeItChoseKeepsThatSize() {
    // Seen in the sandbox: "recommend 1; scaling down from 4 to 1", then in the same second with
    // the same queue and rate, "recommend 3; scaling up from 1 to 3". A short window's burst asked
    // to grow to 3 and the long window's calm allowed 1: the size each decision chose must be one
    // the next decision on the same inputs keeps.
    QueueDepthScaler scaler = scaler(new Priors(1.5, 20));
    Pods pods = new Pods(4, 1.5, 20);
    List<String> flips = new ArrayList<>();
    Random random = new Random(11);
    long counted = 0;
    for (double t = 0; t < 3600; t++) {
      double rate = (long) t % 300 < 20 ? 2.5 : 0.3;
      pods.second(t, poisson(random, rate));
      if ((long) t % 15 == 0) {
        counted = pods.done;
      }
      if ((long) t % 5 != 0) {
        continue;
      }
      clock.set(START.plusSeconds((long) t));
      Reading reading = Reading.of(pods.queued + pods.running());
      Replicas now = pods.replicas(t);
      Decision d = scaler.decide(state, reading, now, ImageCount.of(counted));
      int chosen = d.desiredReplicas();
      if (chosen < now.current()) {
        // Shrinking removes starting pods first; what is left serves as before.
        int ready = Math.min(now.ready(), chosen);
        Decision again =
            scaler.decide(
                d.state(),
                reading,
                new Replicas(chosen, ready, chosen - ready),
                ImageCount.of(counted));
        if (again.desiredReplicas() != chosen) {
          flips.add(t + ": " + d.reason() + " / " + again.reason());
        }
      }
      state = d.state();
      pods.resize(chosen, t);
    }
    assertThat(flips).isEmpty();
  }

  @Test
  void aShrinkNeverGoesToASizeThatTheSameReadingGrowsAtOnce() {
    // Seen in the sandbox (1 s polls, 4 s scale-down window, at most 4 replicas): "recommend 2;
    // scaling down from 4 to 2", then in the same second with the same queue and rate, "recommend
    // 4; scaling up from 2 to 4". With pods still starting at the larger size, the smaller one
    // must be one the rule keeps: deciding again there on the same reading, with the pods that
    // are left (starting ones go first), must not grow.
    ScalingPolicy policy =
        ScalingPolicy.withRange(1, 4).withWindows(Duration.ZERO, Duration.ofSeconds(4));
    List<String> flips = new ArrayList<>();
    int shrinksWithPodsStarting = 0;
    for (long seed = 1; seed <= 12; seed++) {
      for (int start : new int[] {2, 14}) {
        clock.set(START);
        state = ScalerState.initial();
        QueueDepthScaler scaler = new QueueDepthScaler(policy, new Priors(S, 60), clock);
        Pods pods = new Pods(1, 1.2, start);
        Random random = new Random(seed);
        for (double t = 0; t < 120; t++) {
          pods.second(t, poisson(random, t >= 18 && t < 48 ? 2 : 0.7));
          clock.set(START.plusSeconds((long) t));
          Reading reading = Reading.of(pods.queued + pods.running());
          Replicas now = pods.replicas(t);
          ImageCount images = ImageCount.of(pods.done);
          Decision d = scaler.decide(state, reading, now, images);
          int chosen = d.desiredReplicas();
          if (chosen < now.current()) {
            int ready = Math.min(now.ready(), chosen);
            Replicas left = new Replicas(chosen, ready, chosen - ready);
            Decision again = scaler.decide(d.state(), reading, left, images);
            if (now.starting() > 0) {
              shrinksWithPodsStarting++;
            }
            if (again.desiredReplicas() > chosen) {
              flips.add(
                  "seed "
                      + seed
                      + ", start "
                      + start
                      + " s, t="
                      + (long) t
                      + ": "
                      + now
                      + " "
                      + d.reason()
                      + " / "
                      + left
                      + " "
                      + again.reason());
            }
          }
          state = d.state();
          pods.resize(chosen, t);
        }
      }
    }
    assertThat(shrinksWithPodsStarting).as("shrinks with pods starting").isPositive();
    assertThat(flips).isEmpty();
  }

  @Test
  void aPartialReadingNeverShrinksOnTheArrivalRule() {
    QueueDepthScaler scaler = scaler(Priors.secondsPerImage(S));
    Pods pods = run(scaler, new Pods(8, S, 60), 0, 600, t -> 0.5, true);
    int size = pods.pods.size();
    clock.set(START.plusSeconds(605));
    Decision d =
        scaler.decide(
            state,
            Reading.partial(0, "3 of 8 pods did not answer"),
            pods.replicas(605),
            ImageCount.of(pods.done));
    assertThat(d.desiredReplicas()).isEqualTo(size);
    assertThat(d.conditionReason()).isEqualTo("QueuePartiallyRead");
  }
}
