package io.fluxops.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxops.autoscale.ScalerState.LevelGaps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each replica level's keep-alive, learned from the idle gaps it has seen. */
class KeepAliveTest {

  private static List<LevelGaps> level(int level, Long... gaps) {
    return List.of(new LevelGaps(level, 1000, 0.2, 0, List.of(gaps)));
  }

  @Test
  void holdsThroughGapsThatUsuallyEndSoonerThanAColdStartCosts() {
    // Short lulls and long silences: hold through the lulls, let the silences go.
    List<LevelGaps> mixed = level(2, 30L, 40L, 1500L, 50L, 1600L);
    assertThat(KeepAlive.seconds(mixed, 2, 20, 200)).isEqualTo(50);
  }

  @Test
  void holdsALevelThatHasOnlySeenSilencesEndPastTheLongestByTwoColdStarts() {
    // Five silences of 3-7 minutes, all cheaper to hold than a 400 GPU-second cold start: the next
    // may be longer than any of them, so hold on past the longest (420 s) by two cold starts.
    List<LevelGaps> seen = level(1, 200L, 420L, 300L, 180L, 400L);
    assertThat(KeepAlive.seconds(seen, 1, 150, 400)).isEqualTo(420 + 800);
    // Never past half an hour.
    assertThat(KeepAlive.seconds(seen, 1, 150, 1000)).isEqualTo(KeepAlive.LONGEST_SECONDS);
    // Two silences longer than today's rule are too few to go by: the longest seen is held.
    assertThat(KeepAlive.seconds(seen, 1, 350, 400)).isEqualTo(420);
  }

  @Test
  void aBusyLevelsLullsWithinTodaysRuleAreNoise() {
    // Every gap ended within the 60 s window: no silence seen, nothing to extrapolate.
    List<LevelGaps> seen = level(4, 20L, 45L, 30L, 58L, 12L);
    assertThat(KeepAlive.seconds(seen, 4, 60, 1000)).isEqualTo(60);
  }

  @Test
  void letsALevelGoAtTodaysRuleWhereItsGapsOutlastWhatAColdStartCosts() {
    List<LevelGaps> seen = level(3, 1500L, 1700L, 1200L, 1801L, 1600L);
    assertThat(KeepAlive.seconds(seen, 3, 60, 500)).isEqualTo(60);
  }

  @Test
  void neverHoldsLessThanTodaysRule() {
    List<LevelGaps> seen = level(2, 10L, 12L, 15L, 11L, 14L);
    assertThat(KeepAlive.seconds(seen, 2, 60, 1000)).isEqualTo(60);
  }

  @Test
  void fallsBackToTodaysRuleUntilALevelHasSeenFiveGaps() {
    List<LevelGaps> seen = level(1, 200L, 420L, 300L, 180L);
    assertThat(KeepAlive.seconds(seen, 1, 300, 1000)).isEqualTo(300);
    assertThat(KeepAlive.seconds(seen, 2, 60, 1000)).isEqualTo(60);
  }

  @Test
  void holdsNoLongerThanHalfAnHour() {
    List<LevelGaps> seen = level(1, 1500L, 1400L, 1600L, 1700L, 1750L);
    assertThat(KeepAlive.seconds(seen, 1, 300, 1e6)).isEqualTo(KeepAlive.LONGEST_SECONDS);
    // Unless the user's own idle time is longer: that is never shortened.
    assertThat(KeepAlive.seconds(seen, 1, 3600, 1e6)).isEqualTo(3600);
  }

  @Test
  void recordsAGapWhenALevelIsNeededAgainAndOnlyIdleTimeCounts() {
    List<LevelGaps> levels = List.of();
    // Needed at 0 (work in the queue, a recommendation of 3), then again 5 s and 400 s later.
    levels = KeepAlive.observe(levels, 0, 3, true, 0.3, 0, 60);
    levels = KeepAlive.observe(levels, 5, 3, true, 0.3, 0, 60);
    levels = KeepAlive.observe(levels, 405, 2, true, 0.2, 0, 60);
    assertThat(levels).extracting(LevelGaps::level).containsExactly(1, 2, 3);
    assertThat(levels.get(0).gaps()).containsExactly(400L);
    assertThat(levels.get(1).gaps()).containsExactly(400L);
    assertThat(levels.get(1).arrivalsPerSecond()).isEqualTo(0.2);
    // Level 3 was not needed again: no gap yet, and the rate of its one busy period.
    assertThat(levels.get(2).gaps()).isEmpty();
    assertThat(levels.get(2).lastNeededEpochSecond()).isEqualTo(5);
    assertThat(levels.get(2).arrivalsPerSecond()).isEqualTo(0.3);
  }

  @Test
  void aLevelKeepsTheRateItsBurstCameAtNotTheRateOfTheTailWhereItWasLastNeeded() {
    List<LevelGaps> levels = List.of();
    // A burst: its onset at 0.1/s, its peak at 0.6/s, a 40 s lull (shorter than the 60 s window),
    // and its tail at 0.05/s, when the queue drains.
    levels = KeepAlive.observe(levels, 0, 1, true, 0.1, 0, 60);
    levels = KeepAlive.observe(levels, 5, 1, true, 0.6, 0, 60);
    levels = KeepAlive.observe(levels, 45, 1, true, 0.05, 0, 60);
    assertThat(levels.get(0).arrivalsPerSecond()).isEqualTo(0.6);
    // After a silence as long as the window, the next burst's rate replaces it, and the burst
    // before is kept as the last whole one: a burst at zero replicas is ordered for at its rate
    // however often the scaler decides before the next period ends.
    assertThat(KeepAlive.lastBurstPerSecond(levels, 1, 105, 60)).isEqualTo(0.6);
    levels = KeepAlive.observe(levels, 105, 1, true, 0.2, 0, 60);
    assertThat(levels.get(0).arrivalsPerSecond()).isEqualTo(0.2);
    assertThat(levels.get(0).lastBurstPerSecond()).isEqualTo(0.6);
    assertThat(KeepAlive.lastBurstPerSecond(levels, 1, 105, 60)).isEqualTo(0.6);
    assertThat(KeepAlive.lastBurstPerSecond(levels, 1, 110, 60)).isEqualTo(0.6);
    assertThat(KeepAlive.lastBurstPerSecond(levels, 1, 165, 60)).isEqualTo(0.2);
    assertThat(levels.get(0).gaps()).containsExactly(40L, 60L);
  }

  @Test
  void aMissingRateNeitherEndsABusyPeriodNorCarriesOneIntoTheNext() {
    List<LevelGaps> levels = KeepAlive.observe(List.of(), 0, 1, true, 0.6, 0, 60);
    // No rate within the period (a poll gap cleared the arrivals): its peak stays.
    levels = KeepAlive.observe(levels, 5, 1, true, Double.NaN, 0, 60);
    assertThat(levels.get(0).arrivalsPerSecond()).isEqualTo(0.6);
    // No rate at the next period's start (the first poll after a restart): the old peak is the
    // last burst's, not the new period's.
    levels = KeepAlive.observe(levels, 600, 1, true, Double.NaN, 0, 60);
    assertThat(levels.get(0).arrivalsPerSecond()).isZero();
    assertThat(levels.get(0).lastBurstPerSecond()).isEqualTo(0.6);
    levels = KeepAlive.observe(levels, 605, 1, true, 0.1, 0, 60);
    assertThat(levels.get(0).arrivalsPerSecond()).isEqualTo(0.1);
  }

  @Test
  void theLastReplicaIsNeededByWorkNotByTheRecommendation() {
    List<LevelGaps> levels = KeepAlive.observe(List.of(), 0, 1, false, 0.1, 0, 60);
    assertThat(levels).isEmpty();
  }

  @Test
  void levelsTheMinimumAlwaysKeepsAreNotTrackedSoAnIdleWorkloadChangesNothing() {
    List<LevelGaps> levels = KeepAlive.observe(List.of(), 0, 2, true, 0.1, 2, 60);
    assertThat(levels).isEmpty();
    List<LevelGaps> busy = KeepAlive.observe(List.of(), 0, 3, true, 0.1, 2, 60);
    assertThat(busy).extracting(LevelGaps::level).containsExactly(3);
    assertThat(KeepAlive.observe(busy, 300, 2, false, 0, 2, 60)).isEqualTo(busy);
  }

  @Test
  void keepsTheNewestSixteenGapsAndCountsLongOnesAsOutlastingAnyHold() {
    List<LevelGaps> levels = List.of();
    long now = 0;
    for (int i = 0; i < 20; i++) {
      levels = KeepAlive.observe(levels, now, 1, true, 0.1, 0, 60);
      now += i == 19 ? 0 : 100 + i;
    }
    levels = KeepAlive.observe(levels, now + 10_000, 1, true, 0.1, 0, 60);
    List<Long> gaps = levels.get(0).gaps();
    assertThat(gaps).hasSize(LevelGaps.MAX_GAPS);
    assertThat(gaps.get(gaps.size() - 1)).isEqualTo(KeepAlive.LONGEST_SECONDS + 1);
  }

  @Test
  void aColdLevelCostsItsStartAndItsShareOfTheImagesThatGoLate() {
    // RTX 4090 at 60 s starts: the cold window is 60 + 5 + 14.4 - 57.6 = 21.8 s; at 0.2 images/s
    // twice its arrivals are 8.7 images, capped at the 4.2 one replica makes in a start.
    double first = KeepAlive.releaseCost(1, 0.2, 60, 5, 14.4, 57.6, 209);
    assertThat(first).isCloseTo(60 + 209 * 60 / 14.4, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(KeepAlive.releaseCost(4, 0.2, 60, 5, 14.4, 57.6, 209))
        .isCloseTo(60 + 209 * 60 / 14.4 / 4, org.assertj.core.data.Offset.offset(1e-6));
    // Blackwell: 1.344 s per image, budget 59.1 s: a cold window of 7.2 s, 2.9 images late.
    assertThat(KeepAlive.releaseCost(1, 0.2, 60, 5, 1.344, 59.136, 145))
        .isCloseTo(60 + 145 * 2 * 0.2 * 7.208, org.assertj.core.data.Offset.offset(1e-3));
    // Pods that start within the budget leave nothing late.
    assertThat(KeepAlive.releaseCost(1, 0.2, 20, 5, 14.4, 57.6, 209)).isEqualTo(20);
  }

  @Test
  void rejectsGapsThatCannotBe() {
    assertThatThrownBy(() -> new LevelGaps(0, 0, 0, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LevelGaps(1, 0, Double.NaN, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LevelGaps(1, 0, 0, 0, List.of(-1L)))
        .isInstanceOf(IllegalArgumentException.class);
    List<Long> many = new ArrayList<>();
    for (long i = 0; i < 40; i++) {
      many.add(i);
    }
    assertThat(new LevelGaps(1, 0, 0, 0, many).gaps()).hasSize(LevelGaps.MAX_GAPS).startsWith(24L);
  }
}
