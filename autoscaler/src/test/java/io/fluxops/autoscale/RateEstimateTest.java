package io.fluxops.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.autoscale.ScalerState.ArrivalBin;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RateEstimateTest {

  private static final long T0 = 1_764_590_400L;

  /** 32 slots of 10 s, each with the images {@code images} gives for slot {@code i}. */
  private static List<ArrivalBin> bins(java.util.function.IntToDoubleFunction images) {
    List<ArrivalBin> bins = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      bins.add(new ArrivalBin(T0 + 10L * i, T0 + 10L * (i + 1), images.applyAsDouble(i)));
    }
    return bins;
  }

  @Test
  void singleImagesAtASteadyRateAreNotDispersed() {
    Random random = new Random(3);
    double mean = 0;
    for (int run = 0; run < 50; run++) {
      mean += RateEstimate.dispersion(bins(i -> ArrivalRuleTest.poisson(random, 5))) / 50;
    }
    assertThat(mean).isBetween(1.0, 1.3);
  }

  @Test
  void requestsForEightImagesAtOnceAreDispersedAboutEightfold() {
    Random random = new Random(5);
    double mean = 0;
    for (int run = 0; run < 50; run++) {
      mean += RateEstimate.dispersion(bins(i -> 8 * ArrivalRuleTest.poisson(random, 5 / 8.0))) / 50;
    }
    assertThat(mean).isBetween(5.0, 11.0);
  }

  @Test
  void aStepInTheRateCountsOnceNotInEverySlotAfterIt() {
    // 1 image a slot, then 9: the slots' variance is 16, but only one neighbouring pair differs.
    double step = RateEstimate.dispersion(bins(i -> i < 16 ? 1 : 9));
    assertThat(step).isLessThan(2.5);
  }

  @Test
  void tooLittleHistoryCountsAsPoisson() {
    assertThat(RateEstimate.dispersion(List.of())).isEqualTo(1);
    assertThat(RateEstimate.dispersion(bins(i -> 0))).isEqualTo(1);
  }
}
