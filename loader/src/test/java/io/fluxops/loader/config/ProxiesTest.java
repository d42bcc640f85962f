package io.fluxops.loader.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxiesTest {
  @Test
  void noProxyVariablesSetNothing() throws Exception {
    assertThat(Proxies.properties(Map.of("NO_PROXY", ".cluster.local"))).isEmpty();
  }

  @Test
  void httpsProxyAndNoProxyBecomeTheJdkProperties() throws Exception {
    Map<String, String> props =
        Proxies.properties(
            Map.of(
                "HTTPS_PROXY", "http://proxy.corp:3128",
                "no_proxy", "localhost,.svc,10.0.0.1:443, internal.example"));

    assertThat(props)
        .containsEntry("https.proxyHost", "proxy.corp")
        .containsEntry("https.proxyPort", "3128")
        .containsEntry(
            "http.nonProxyHosts",
            "localhost|*.localhost|*.svc|10.0.0.1|*.10.0.0.1|internal.example|*.internal.example");
  }

  @Test
  void aProxyWithoutSchemeIsHttp() throws Exception {
    assertThat(Proxies.properties(Map.of("https_proxy", "squid:8080")))
        .containsEntry("https.proxyHost", "squid")
        .containsEntry("https.proxyPort", "8080");
  }

  @Test
  void credentialsInTheProxyUrlAreRefused() {
    assertThatThrownBy(() -> Proxies.properties(Map.of("HTTPS_PROXY", "http://u:p@proxy:3128")))
        .hasMessageContaining("HTTPS_PROXY has credentials")
        .hasMessageNotContaining("u:p");
  }
}
