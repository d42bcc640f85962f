package io.fluxops.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's protocol: HTTP/1.1 unless the user chose with Fabric8's own variable. */
class ClusterConnectionTest {

  @Test
  void theOperatorsClientSpeaksHttp11ByDefault() {
    Config config = new ConfigBuilder(Config.empty()).withHttp2Disable(false).build();

    assertThat(ClusterConnection.http11UnlessSet(config, Map.of()).isHttp2Disable()).isTrue();
  }

  @Test
  void aUserWhoSetsKubernetesHttp2DisableKeepsTheirChoice() {
    // Fabric8 read the variable into the configuration; the operator leaves it as read.
    Config config = new ConfigBuilder(Config.empty()).withHttp2Disable(false).build();

    assertThat(
            ClusterConnection.http11UnlessSet(config, Map.of("KUBERNETES_HTTP2_DISABLE", "false"))
                .isHttp2Disable())
        .isFalse();
  }
}
