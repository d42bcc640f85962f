package io.fluxops.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxops.autoscale.ScalerState.QueueSample;
import io.fluxops.autoscale.ScalerState.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalerStateTest {

  @Test
  void legacyStringRoundTripsWhatItHolds() {
    ScalerState state =
        new ScalerState(
            List.of(new Sample(1700000000, 3), new Sample(1700000005, 4)),
            List.of(new QueueSample(1700000000, 7), new QueueSample(1700000005, 8.5)),
            1700000005);

    String text = state.toLegacyString();

    assertThat(text)
        .isEqualTo("v1;last=1700000005;r=1700000000:3,1700000005:4;q=1700000000:7,1700000005:8.5");
    assertThat(ScalerState.parseLegacy(text)).isEqualTo(state);
  }

  @Test
  void initialStateRoundTrips() {
    assertThat(ScalerState.parseLegacy(ScalerState.initial().toLegacyString()))
        .isEqualTo(ScalerState.initial());
    assertThat(ScalerState.initial().lastScaleTime()).isNull();
  }

  @Test
  void equalRecommendationsInARowAreStoredOnceWithTheLatestTime() {
    ScalerState state = ScalerState.initial();
    Instant start = Instant.ofEpochSecond(1000);
    for (int i = 0; i < 10; i++) {
      state = state.record(start.plusSeconds(5L * i), 4, Duration.ofSeconds(300));
    }
    assertThat(state.recommendations()).containsExactly(new Sample(1045, 4));
  }

  @Test
  void recommendationsOutsideTheLongestWindowAreDropped() {
    ScalerState state = ScalerState.initial();
    state = state.record(Instant.ofEpochSecond(1000), 5, Duration.ofSeconds(60));
    state = state.record(Instant.ofEpochSecond(1030), 3, Duration.ofSeconds(60));
    state = state.record(Instant.ofEpochSecond(1061), 2, Duration.ofSeconds(60));
    assertThat(state.recommendations()).containsExactly(new Sample(1030, 3), new Sample(1061, 2));
  }

  @Test
  void staysBoundedByMergingTheOldestOnTheSafeSide() {
    List<Sample> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(new Sample(1000 + i, i == 0 ? 30 : i % 2));
    }
    ScalerState state = new ScalerState(many, List.of(), 0);

    assertThat(state.recommendations()).hasSize(ScalerState.MAX_SAMPLES);
    // The 30 made at 1000 s survives, folded into the oldest kept run.
    assertThat(state.recommendations().get(0).replicas()).isEqualTo(30);
    assertThat(state.recommendations().get(state.recommendations().size() - 1))
        .isEqualTo(new Sample(1099, 1));
    assertThat(state.toLegacyString().length()).isLessThan(1500);
  }

  @Test
  void rejectsTextThatIsNotAState() {
    assertThatThrownBy(() -> ScalerState.parseLegacy("hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a scaler state");
    assertThatThrownBy(() -> ScalerState.parseLegacy("v1;last=x;r=;q="))
        .hasMessageContaining("bad number");
    assertThatThrownBy(() -> ScalerState.parseLegacy("v1;last=0;r=5;q="))
        .hasMessageContaining("<epoch>:<value>");
    assertThatThrownBy(() -> ScalerState.parseLegacy("v1;last=0;r=10:1,5:1;q="))
        .hasMessageContaining("time order");
  }

  @Test
  void averagesTheReadingsItKeeps() {
    ScalerState state = ScalerState.initial();
    state = state.withQueue(Instant.ofEpochSecond(100), 4, Duration.ofSeconds(60));
    state = state.withQueue(Instant.ofEpochSecond(130), 8, Duration.ofSeconds(60));
    assertThat(state.averageQueueDepth()).isEqualTo(6);
    state = state.withQueue(Instant.ofEpochSecond(161), 0, Duration.ofSeconds(60));
    assertThat(state.averageQueueDepth()).isEqualTo(4);
  }
}
