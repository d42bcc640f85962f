package io.fluxops.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueingTest {

  private static final double S = 14.4; // an RTX 4090's seconds per image
  private static final double BUDGET = 4 * S; // target 2: a replica's time for 4 images
  private static final double[] NONE = {};

  @Test
  void sizesASteadyLoadWithLittleHeadroomWhenTheBudgetIsLongAgainstAnImage() {
    // 0.5 images/s at 14.4 s is 7.2 replicas' work: 8 keep waits short (fixed-8 in the benchmark).
    assertThat(Queueing.replicasFor(0.5, S, BUDGET, 100)).isEqualTo(8);
    // 7.6 replicas' work is too close to 8 for a 1 % tail.
    assertThat(Queueing.replicasFor(7.6 / S, S, BUDGET, 100)).isEqualTo(9);
  }

  @Test
  void needsMoreThanTheLoadAndMoreHeadroomForATighterBudget() {
    for (double load = 0.3; load < 30; load *= 1.7) {
      int replicas = Queueing.replicasFor(load / S, S, BUDGET, 1000);
      assertThat(replicas).as("load %.2f", load).isGreaterThan((int) Math.floor(load));
      assertThat(Queueing.replicasFor(load / S, S, BUDGET / 4, 1000))
          .as("load %.2f, a quarter of the budget", load)
          .isGreaterThanOrEqualTo(replicas);
    }
  }

  @Test
  void noArrivalsNeedNoReplicasAndTheCapHolds() {
    assertThat(Queueing.replicasFor(0, S, BUDGET, 10)).isZero();
    assertThat(Queueing.replicasFor(100, S, BUDGET, 10)).isEqualTo(10);
  }

  @Test
  void aBacklogTheReadyReplicasServeInTimeOrdersNothing() {
    // Two ready replicas serve 8 waiting images within 57.6 s; nothing more arrives.
    assertThat(
            Queueing.replicasForBacklog(
                8, 2, NONE, 0, 0, S, BUDGET, 60, 32, Priors.DEFAULT_IMAGE_VALUE_GPU_SECONDS, 120))
        .isLessThanOrEqualTo(2);
  }

  @Test
  void aGrowingBacklogOrdersReplicasThatStartInTimeForIt() {
    // 1 image/s arriving on 2 replicas: the pods ordered now serve from 60 s on, and images that
    // arrive from then on can still start within the budget if there are enough of them.
    int replicas =
        Queueing.replicasForBacklog(
            10, 2, NONE, 0, 1.0, S, BUDGET, 60, 32, Priors.DEFAULT_IMAGE_VALUE_GPU_SECONDS, 120);
    assertThat(replicas).isGreaterThanOrEqualTo(14); // 14.4 replicas' work arriving
  }

  @Test
  void imagesOnlyACrowdCouldSaveOrderNoCrowd() {
    // 20 images wait for 2 ready replicas and nothing else arrives: by the time new pods start
    // (120 s) every one of them is past the 57.6 s budget, so new pods would save none.
    assertThat(
            Queueing.replicasForBacklog(
                20, 2, NONE, 0, 0, S, BUDGET, 120, 32, Priors.DEFAULT_IMAGE_VALUE_GPU_SECONDS, 180))
        .isLessThanOrEqualTo(2);
    // 30 waiting on 2 ready replicas: new ones (50 s away) could each start half an image within
    // the budget. Worth it only if an image is worth far more than a replica's 180 GPU-seconds.
    assertThat(
            Queueing.replicasForBacklog(
                30, 2, NONE, 0, 0, S, BUDGET, 50, 32, Priors.DEFAULT_IMAGE_VALUE_GPU_SECONDS, 180))
        .isLessThanOrEqualTo(2);
    assertThat(Queueing.replicasForBacklog(30, 2, NONE, 0, 0, S, BUDGET, 50, 32, 1e6, 180))
        .isEqualTo(32);
  }
}
