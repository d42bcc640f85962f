package io.fluxops.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The client's protocol: HTTP/1.1 unless the user chose with Fabric8's own variable. */
class ClusterConnectionTest {

  @Test
  void theOperatorsClientSpeaksHttp11ByDefault() {
    Config config = new ConfigBuilder(Config.empty()).withHttp2Disable(false).build();

    assertThat(
            ClusterConnection.http11UnlessSet(config, Map.of(), new Properties()).isHttp2Disable())
        .isTrue();
  }

  @Test
  void aUserWhoSetsKubernetesHttp2DisableKeepsTheirChoice() {
    // Fabric8 read the variable into the configuration; the operator leaves it as read.
    Config config = new ConfigBuilder(Config.empty()).withHttp2Disable(false).build();

    assertThat(
            ClusterConnection.http11UnlessSet(
                    config, Map.of("KUBERNETES_HTTP2_DISABLE", "false"), new Properties())
                .isHttp2Disable())
        .isFalse();
  }

  @Test
  void aUserWhoSetsTheSystemPropertyKeepsTheirChoice() {
    // -Dkubernetes.http2.disable=false, which Fabric8 reads before the variable.
    Config config = new ConfigBuilder(Config.empty()).withHttp2Disable(false).build();
    Properties properties = new Properties();
    properties.setProperty("kubernetes.http2.disable", "false");

    assertThat(ClusterConnection.http11UnlessSet(config, Map.of(), properties).isHttp2Disable())
        .isFalse();
  }
}
