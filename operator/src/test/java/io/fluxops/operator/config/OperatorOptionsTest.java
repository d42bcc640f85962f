package io.fluxops.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorOptionsTest {

  @Test
  void defaultsWatchAllNamespacesWithoutLeaderElection() {
    OperatorConfig config = OperatorOptions.load(Map.of());

    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.gpuHourlyPriceUsd()).containsEntry("rtx-4090", 0.69);
    assertThat(config.apiPricePerImageUsd()).isEqualTo(0.04);
  }

  @Test
  void readsNamespacesAndLeaseNamespaceFromThePod() {
    OperatorConfig config =
        OperatorOptions.load(
            Map.of(
                "FLUXOPS_WATCH_NAMESPACES", " team-a, team-b ,",
                "FLUXOPS_LEADER_ELECTION", "true",
                "POD_NAMESPACE", "fluxops-system"));

    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseNamespace()).isEqualTo("fluxops-system");
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> OperatorOptions.load(Map.of("FLUXOPS_HTTP_PORT", "eighty")))
        .hasMessage("FLUXOPS_HTTP_PORT=\"eighty\" is not a whole number from 0 to 65535");
    assertThatThrownBy(() -> OperatorOptions.load(Map.of("FLUXOPS_LEADER_ELECTION", "yes")))
        .hasMessage("FLUXOPS_LEADER_ELECTION=\"yes\" must be true or false");
    assertThatThrownBy(() -> OperatorOptions.load(Map.of("FLUXOPS_GPU_PRICE_RTX_4090", "-1")))
        .hasMessage("FLUXOPS_GPU_PRICE_RTX_4090=\"-1\" is not a price in USD (>= 0)");
  }
}
