package io.fluxops.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.autoscale.Decision.Direction;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueueDepthScalerTest {

  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  private final SimClock clock = new SimClock(START);
  private ScalerState state = ScalerState.initial();
  private int current;

  /** The queue rule (no image counts). */
  private QueueDepthScaler scaler(int min, int max, int upSeconds, int downSeconds) {
    return new QueueDepthScaler(
        new ScalingPolicy(
            min,
            max,
            2,
            Duration.ofSeconds(upSeconds),
            Duration.ofSeconds(downSeconds),
            Duration.ofSeconds(downSeconds)),
        clock);
  }

  /** One poll at {@code second} after START; applies the decision as the operator would. */
  private Decision poll(QueueDepthScaler scaler, long second, Reading reading) {
    return poll(scaler, second, reading, Replicas.allReady(current));
  }

  private Decision poll(QueueDepthScaler scaler, long second, Reading reading, Replicas replicas) {
    clock.set(START.plusSeconds(second));
    Decision decision = scaler.decide(state, reading, replicas);
    state = decision.state();
    current = decision.desiredReplicas();
    return decision;
  }

  @Test
  void recommendsCeilingOfQueueOverTargetAndScalesUpAtOnce() {
    current = 1;
    Decision decision = poll(scaler(1, 8, 0, 120), 0, Reading.of(5));

    assertThat(decision.desiredReplicas()).isEqualTo(3);
    assertThat(decision.direction()).isEqualTo(Direction.UP);
    assertThat(decision.recommendation()).isEqualTo(3);
    assertThat(decision.reason())
        .contains("queue 5")
        .contains("sizing on queue depth alone: no image counts")
        .contains("scaling up from 1 to 3");
    assertThat(decision.sizing().basis()).isEqualTo(Decision.Basis.QUEUE);
    assertThat(decision.conditionReason()).isEqualTo("ScaledUp");
    assertThat(decision.state().lastScaleTime()).isEqualTo(START);
  }

  @Test
  void scalesSeveralReplicasInOneStepUnderBacklog() {
    current = 1;
    assertThat(poll(scaler(1, 32, 0, 120), 0, Reading.of(40)).desiredReplicas()).isEqualTo(20);
  }

  @Test
  void clampsToTheReplicaRange() {
    QueueDepthScaler scaler = scaler(2, 5, 0, 0);
    current = 3;
    assertThat(poll(scaler, 0, Reading.of(100)).desiredReplicas()).isEqualTo(5);
    assertThat(poll(scaler, 5, Reading.of(0)).desiredReplicas()).isEqualTo(2);
  }

  @Test
  void scaleUpWindowGrowsOnlyToTheLowestRecommendationInIt() {
    QueueDepthScaler scaler = scaler(1, 20, 30, 300);
    current = 1;
    poll(scaler, 0, Reading.of(2));
    assertThat(poll(scaler, 10, Reading.of(12)).desiredReplicas()).isEqualTo(1);
    assertThat(poll(scaler, 20, Reading.of(8)).desiredReplicas()).isEqualTo(1);
    // At 31 s the recommendation of 1 made at 0 s has left the window; 4 (8/2) is the lowest left.
    assertThat(poll(scaler, 31, Reading.of(12)).desiredReplicas()).isEqualTo(4);
    // At 41 s only 4 (20 s) and 6 (31 s, 41 s) remain.
    assertThat(poll(scaler, 41, Reading.of(12)).desiredReplicas()).isEqualTo(4);
    assertThat(poll(scaler, 51, Reading.of(12)).desiredReplicas()).isEqualTo(6);
  }

  @Test
  void scalesDownOnlyAfterTheStabilizationWindow() {
    QueueDepthScaler scaler = scaler(1, 20, 0, 120);
    current = 1;
    poll(scaler, 0, Reading.of(12));
    assertThat(current).isEqualTo(6);
    for (long second = 5; second < 120; second += 5) {
      Decision decision = poll(scaler, second, Reading.of(0));
      assertThat(decision.desiredReplicas()).as("at %d s", second).isEqualTo(6);
      assertThat(decision.reason()).contains("holding 6 within the 120s scale-down window");
    }
    // HPA semantics: a recommendation made at 0 s is outside the window (120 s, 240 s] at 120 s.
    Decision after = poll(scaler, 120, Reading.of(0));
    assertThat(after.desiredReplicas()).isEqualTo(1);
    assertThat(after.direction()).isEqualTo(Direction.DOWN);
    assertThat(after.conditionReason()).isEqualTo("ScaledDown");
  }

  @Test
  void scaleDownWindowKeepsTheHighestRecommendationInIt() {
    QueueDepthScaler scaler = scaler(1, 20, 0, 60);
    current = 10;
    assertThat(poll(scaler, 0, Reading.of(9)).recommendation()).isEqualTo(9);
    // Average of 9 and 4 is 6.5: seven images in hand.
    assertThat(poll(scaler, 30, Reading.of(4)).recommendation()).isEqualTo(7);
    assertThat(current).as("10 (the size when memory began) is still in the window").isEqualTo(10);
    assertThat(poll(scaler, 61, Reading.of(4)).recommendation()).isEqualTo(4);
    assertThat(current).as("7, made at 30 s, is the highest left in the window").isEqualTo(7);
    poll(scaler, 91, Reading.of(4));
    assertThat(current).isEqualTo(4);
  }

  @Test
  void neverShrinksBelowTheImagesInHand() {
    QueueDepthScaler scaler = scaler(1, 20, 0, 60);
    current = 8;
    for (long second = 0; second <= 300; second += 5) {
      poll(scaler, second, Reading.of(5));
    }
    // ceil(5 / 2) = 3 would leave two images waiting for a GPU that was just removed.
    assertThat(current).isEqualTo(5);
  }

  @Test
  void shrinksOnTheAverageQueueNotOnAMomentaryDip() {
    QueueDepthScaler scaler = scaler(1, 20, 0, 0);
    current = 6;
    for (long second = 0; second < 60; second += 5) {
      poll(scaler, second, Reading.of(12));
    }
    Decision dip = poll(scaler, 60, Reading.of(2));
    // The last minute averaged over 11: still 6 replicas' worth, though the latest reading is 2.
    assertThat(dip.desiredReplicas()).isEqualTo(6);
  }

  @Test
  void startingPodsCountAsCapacityThatIsComing() {
    QueueDepthScaler scaler = scaler(1, 20, 0, 120);
    current = 4;
    // One pod serves, three load the model; the queue of 8 is what the four of them are for.
    Decision decision = poll(scaler, 0, Reading.of(8), new Replicas(4, 1, 3));

    assertThat(decision.desiredReplicas()).isEqualTo(4);
    assertThat(decision.direction()).isEqualTo(Direction.NONE);
  }

  @Test
  void startingPodsDoNotHoldBackAQueueThatOutgrowsThem() {
    QueueDepthScaler scaler = scaler(1, 20, 0, 120);
    current = 4;
    Decision decision = poll(scaler, 0, Reading.of(20), new Replicas(4, 1, 3));
    assertThat(decision.desiredReplicas()).isEqualTo(10);
  }

  @Test
  void goesToZeroOnlyAfterTheQueueWasEmptyForTheWholeDownWindow() {
    QueueDepthScaler scaler = scaler(0, 8, 0, 120);
    current = 1;
    poll(scaler, 0, Reading.of(1));
    for (long second = 5; second < 120; second += 5) {
      assertThat(poll(scaler, second, Reading.of(0)).desiredReplicas()).isEqualTo(1);
    }
    assertThat(poll(scaler, 120, Reading.of(0)).desiredReplicas()).isZero();
  }

  @Test
  void aJobInTheWindowKeepsTheLastReplica() {
    QueueDepthScaler scaler = scaler(0, 8, 0, 120);
    current = 1;
    poll(scaler, 0, Reading.of(0));
    poll(scaler, 60, Reading.of(1));
    assertThat(poll(scaler, 150, Reading.of(0)).desiredReplicas()).isEqualTo(1);
    assertThat(poll(scaler, 181, Reading.of(0)).desiredReplicas()).isZero();
  }

  @Test
  void scalesFromZeroAtTheFirstQueuedJobEvenWithAScaleUpWindow() {
    QueueDepthScaler scaler = scaler(0, 8, 60, 120);
    current = 0;
    assertThat(poll(scaler, 0, Reading.of(0)).desiredReplicas()).isZero();
    Decision decision = poll(scaler, 5, Reading.of(1));
    assertThat(decision.desiredReplicas()).isEqualTo(1);
    assertThat(decision.direction()).isEqualTo(Direction.UP);
  }

  @Test
  void failedReadingHoldsTheSizeAndSaysWhy() {
    QueueDepthScaler scaler = scaler(0, 8, 0, 60);
    current = 3;
    poll(scaler, 0, Reading.of(6));
    ScalerState before = state;
    for (long second = 5; second <= 600; second += 5) {
      Decision decision = poll(scaler, second, Reading.failed("redis: connection refused"));
      assertThat(decision.desiredReplicas()).isEqualTo(3);
      assertThat(decision.direction()).isEqualTo(Direction.NONE);
      assertThat(decision.dataMissing()).isTrue();
      assertThat(decision.queueDepth()).isNaN();
      assertThat(decision.conditionReason()).isEqualTo("QueueUnreadable");
      assertThat(decision.reason())
          .isEqualTo("queue could not be read (redis: connection refused); holding 3 replicas");
    }
    assertThat(state).isEqualTo(before);
  }

  @Test
  void partialReadingCanGrowButNeverShrink() {
    QueueDepthScaler scaler = scaler(1, 20, 0, 0);
    current = 6;
    Decision low = poll(scaler, 0, Reading.partial(2, "1 of 6 pods did not answer"));
    assertThat(low.desiredReplicas()).isEqualTo(6);
    assertThat(low.dataMissing()).isTrue();
    assertThat(low.reason()).contains("partial reading, 1 of 6 pods did not answer");
    assertThat(low.conditionReason()).isEqualTo("QueuePartiallyRead");

    Decision high = poll(scaler, 5, Reading.partial(20, "1 of 6 pods did not answer"));
    assertThat(high.desiredReplicas()).isEqualTo(10);
  }

  @Test
  void restoredStateKeepsTheScaleDownWindowAcrossARestart() {
    QueueDepthScaler scaler = scaler(1, 20, 0, 120);
    current = 1;
    poll(scaler, 0, Reading.of(16));
    poll(scaler, 5, Reading.of(0));
    String persisted = state.toLegacyString();

    // A new operator process: new scaler, state read back from the FluxDeployment.
    QueueDepthScaler restarted = scaler(1, 20, 0, 120);
    state = ScalerState.parseLegacy(persisted);
    assertThat(poll(restarted, 100, Reading.of(0)).desiredReplicas()).isEqualTo(8);
    assertThat(poll(restarted, 121, Reading.of(0)).desiredReplicas()).isEqualTo(1);
  }

  @Test
  void lostStateDoesNotShrinkBeforeAFullWindow() {
    QueueDepthScaler scaler = scaler(0, 20, 0, 120);
    current = 8;
    state = ScalerState.initial();
    assertThat(poll(scaler, 0, Reading.of(0)).desiredReplicas()).isEqualTo(8);
    assertThat(poll(scaler, 119, Reading.of(0)).desiredReplicas()).isEqualTo(8);
    assertThat(poll(scaler, 120, Reading.of(0)).desiredReplicas()).isZero();
  }

  @Test
  void currentSizeOutsideTheRangeIsBroughtBackIntoIt() {
    QueueDepthScaler scaler = scaler(2, 4, 0, 120);
    current = 9;
    assertThat(poll(scaler, 0, Reading.of(0)).desiredReplicas()).isEqualTo(4);
    current = 0;
    state = ScalerState.initial();
    assertThat(poll(scaler, 0, Reading.failed("timeout")).desiredReplicas()).isEqualTo(2);
  }

  @Test
  void fractionalQueueDepthsRoundUpButExactMultiplesDoNot() {
    QueueDepthScaler scaler = scaler(0, 20, 0, 0);
    assertThat(scaler.replicasFor(4.0)).isEqualTo(2);
    assertThat(scaler.replicasFor(0.1 + 0.2 + 3.7)).isEqualTo(2);
    assertThat(scaler.replicasFor(4.01)).isEqualTo(3);
    assertThat(scaler.replicasFor(0)).isZero();
  }
}
