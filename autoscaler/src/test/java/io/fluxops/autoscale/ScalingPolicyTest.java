package io.fluxops.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScalingPolicyTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    ScalingPolicy policy = ScalingPolicy.withRange(1, 8);
    assertThat(policy.targetQueueDepth()).isEqualTo(2);
    assertThat(policy.scaleUpStabilization()).isEqualTo(Duration.ZERO);
    assertThat(policy.scaleDownStabilization()).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.queueRuleScaleDownStabilization()).isEqualTo(Duration.ofSeconds(300));
    assertThat(policy.longestWindow()).isEqualTo(Duration.ofSeconds(300));
    ScalingPolicy set = policy.withWindows(Duration.ZERO, Duration.ofSeconds(90));
    assertThat(set.scaleDownStabilization(true)).isEqualTo(Duration.ofSeconds(90));
    assertThat(set.scaleDownStabilization(false)).isEqualTo(Duration.ofSeconds(90));
    assertThat(policy.idleBeforeZero()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void theDefaultWindowsAreNeverShorterThanThePodStartButASetWindowIsKept() {
    ScalingPolicy policy = ScalingPolicy.withRange(0, 8);
    assertThat(policy.scaleDownStabilization(true, 45)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.scaleDownStabilization(true, 119.2)).isEqualTo(Duration.ofSeconds(120));
    assertThat(policy.scaleDownStabilization(false, 119.2)).isEqualTo(Duration.ofSeconds(300));
    assertThat(policy.scaleDownStabilization(false, 420)).isEqualTo(Duration.ofSeconds(420));
    ScalingPolicy set = policy.withWindows(Duration.ZERO, Duration.ofSeconds(90));
    assertThat(set.scaleDownStabilization(true, 119.2)).isEqualTo(Duration.ofSeconds(90));
    assertThat(set.scaleDownStabilization(false, 420)).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void rejectsARangeWithMinAboveMaxNamingBothFields() {
    assertThatThrownBy(() -> ScalingPolicy.withRange(5, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minReplicas (5) must not exceed maxReplicas (2)");
  }

  @Test
  void rejectsValuesAUserCouldMistype() {
    assertThatThrownBy(() -> ScalingPolicy.withRange(-1, 2)).hasMessageContaining("minReplicas");
    assertThatThrownBy(() -> ScalingPolicy.withRange(0, 0)).hasMessageContaining("maxReplicas");
    assertThatThrownBy(() -> ScalingPolicy.withRange(0, 2).withTargetQueueDepth(0))
        .hasMessageContaining("targetQueueDepth");
    assertThatThrownBy(
            () -> ScalingPolicy.withRange(0, 2).withWindows(Duration.ofSeconds(-1), Duration.ZERO))
        .hasMessageContaining("scaleUpStabilization");
    assertThatThrownBy(
            () -> ScalingPolicy.withRange(0, 2).withIdleBeforeZero(Duration.ofSeconds(-1)))
        .hasMessageContaining("idleBeforeZero");
  }
}
