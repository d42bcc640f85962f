package io.fluxops.metering.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxops.common.FluxModel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void minimalEnvironment() throws IOException {
    Path key = Files.writeString(dir.resolve("api-key"), "k\n");
    env.put("FLUXOPS_MODEL_SLUG", "flux-1-dev");
    env.put("FLUXOPS_KEY_FILE", key.toString());
    env.put("FLUXOPS_JOURNAL_DIR", dir.resolve("journal").toString());
  }

  @Test
  void appliesTheDocumentedDefaults() throws ConfigException {
    Config config = ConfigLoader.load(env);

    assertThat(config.model()).isEqualTo(FluxModel.FLUX_1_DEV);
    assertThat(config.usageUri())
        .isEqualTo(URI.create("https://api.bfl.ai/v1/licenses/models/flux-1-dev/usage"));
    assertThat(config.batchInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.listenPort()).isEqualTo(9469);
    assertThat(config.listenAddress()).isEqualTo("0.0.0.0");
    assertThat(config.counting()).isEqualTo(CountingMode.RELAY);
    assertThat(config.metric()).isEmpty();
    assertThat(config.maxBatchImages()).isEqualTo(1000);
    assertThat(config.reportTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(25));
    assertThat(config.labels()).isEqualTo(MetricLabels.none());
  }

  @Test
  void createsTheJournalDirectory() throws ConfigException {
    ConfigLoader.load(env);

    assertThat(dir.resolve("journal")).isDirectory();
  }

  @Test
  void stripsTrailingSlashesFromTheEndpoint() throws ConfigException {
    env.put("FLUXOPS_USAGE_ENDPOINT", "http://127.0.0.1:8080/bfl//");

    assertThat(ConfigLoader.load(env).usageUri())
        .isEqualTo(URI.create("http://127.0.0.1:8080/bfl/v1/licenses/models/flux-1-dev/usage"));
  }

  @Test
  void readsMetricCountingAndLabels() throws ConfigException {
    env.put("FLUXOPS_COUNTING", "metric");
    env.put("FLUXOPS_METRIC_URL", "http://127.0.0.1:8080/metrics");
    env.put("FLUXOPS_METRIC_NAME", "flux_images_generated_total");
    env.put("FLUXOPS_NAMESPACE", "images");
    env.put("FLUXOPS_INSTANCE", "dev-4090");
    env.put("FLUXOPS_GPU", "rtx-4090");
    env.put("FLUXOPS_BATCH_INTERVAL_SECONDS", "0.25");

    Config config = ConfigLoader.load(env);

    assertThat(config.metric())
        .hasValueSatisfying(m -> assertThat(m.name()).isEqualTo("flux_images_generated_total"));
    assertThat(config.labels().instance()).hasValue("dev-4090");
    assertThat(config.batchInterval()).isEqualTo(Duration.ofMillis(250));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "FLUXOPS_MODEL_SLUG|flux-3-pro|unknown slug",
        "FLUXOPS_MODEL_SLUG|flux-1-schnell|Apache-2.0",
        "FLUXOPS_USAGE_ENDPOINT|api.bfl.ai|http:// or https://",
        "FLUXOPS_USAGE_ENDPOINT|ftp://api.bfl.ai|http:// or https://",
        "FLUXOPS_USAGE_ENDPOINT|https://api.bfl.ai?x=1|without query",
        "FLUXOPS_USAGE_ENDPOINT|http://127.0.0.1:99999|a port is 1 to 65535",
        "FLUXOPS_USAGE_ENDPOINT|http://127.0.0.1:0|a port is 1 to 65535",
        "FLUXOPS_USAGE_ENDPOINT|https://user:secret@api.bfl.ai|credentials",
        "FLUXOPS_USAGE_ENDPOINT|'  '|set but empty; give it a value, or leave it unset for the default https://api.bfl.ai",
        "FLUXOPS_LISTEN_ADDRESS|999.1.1.1|IP address",
        "FLUXOPS_LISTEN_ADDRESS|10.0.0|IP address",
        "FLUXOPS_USAGE_ADDRESS|0.0.0.0|loopback",
        "FLUXOPS_USAGE_ADDRESS|localhost|loopback",
        "FLUXOPS_USAGE_PORT|65536|from 0 to 65535",
        "FLUXOPS_KEY_FILE|/nonexistent/api-key|no file at",
        "FLUXOPS_BATCH_INTERVAL_SECONDS|0|from 0.01 to 3600",
        "FLUXOPS_BATCH_INTERVAL_SECONDS|five|from 0.01 to 3600",
        "FLUXOPS_LISTEN_PORT|70000|from 0 to 65535",
        "FLUXOPS_LISTEN_PORT|http|from 0 to 65535",
        "FLUXOPS_LISTEN_ADDRESS|0.0.0.0 8080|IP address",
        "FLUXOPS_COUNTING|prometheus|must be",
        "FLUXOPS_GPU|a100|rtx-4090 or blackwell",
        "FLUXOPS_INSTANCE|two words|printable",
        "FLUXOPS_MAX_BATCH_IMAGES|0|from 1 to 1000000",
        "FLUXOPS_REPORT_TIMEOUT_SECONDS|-1|from 0.1 to 300",
        "FLUXOPS_SHUTDOWN_TIMEOUT_SECONDS|forever|from 0.1 to 3600",
      })
  void rejectsABadValueNamingTheVariable(String variable, String value, String message) {
    env.put(variable, value);

    assertThatThrownBy(() -> ConfigLoader.load(env))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.variable()).isEqualTo(variable))
        .hasMessageStartingWith(variable + ": ")
        .hasMessageContaining(message);
  }

  @Test
  void proxyCountingNeedsAnApiAPortAndTheServerOnLoopback() throws ConfigException {
    env.put("FLUXOPS_COUNTING", "proxy");
    assertThatThrownBy(() -> ConfigLoader.load(env)).hasMessageStartingWith("FLUXOPS_SERVER_API");
    env.put("FLUXOPS_SERVER_API", "comfyui");
    assertThatThrownBy(() -> ConfigLoader.load(env)).hasMessageContaining("must be nim or openai");
    env.put("FLUXOPS_SERVER_API", "nim");
    assertThatThrownBy(() -> ConfigLoader.load(env)).hasMessageStartingWith("FLUXOPS_PROXY_PORT");
    env.put("FLUXOPS_PROXY_PORT", "8000");
    env.put("FLUXOPS_UPSTREAM_URL", "http://10.0.0.5:8001");
    assertThatThrownBy(() -> ConfigLoader.load(env))
        .hasMessageStartingWith("FLUXOPS_UPSTREAM_URL")
        .hasMessageContaining("loopback");
    env.put("FLUXOPS_UPSTREAM_URL", "http://127.0.0.1:8001/");

    Config config = ConfigLoader.load(env);
    assertThat(config.proxy())
        .hasValueSatisfying(
            p -> {
              assertThat(p.api()).isEqualTo(ServerApi.NIM);
              assertThat(p.port()).isEqualTo(8000);
              assertThat(p.upstream()).hasToString("http://127.0.0.1:8001");
            });
  }

  @Test
  void comfyuiCountingNeedsComfyUiOnLoopbackAndTakesAPollInterval() throws ConfigException {
    env.put("FLUXOPS_COUNTING", "comfyui");
    assertThatThrownBy(() -> ConfigLoader.load(env))
        .hasMessageStartingWith("FLUXOPS_UPSTREAM_URL: is required");
    env.put("FLUXOPS_UPSTREAM_URL", "http://comfyui.default.svc:8188");
    assertThatThrownBy(() -> ConfigLoader.load(env))
        .hasMessageStartingWith("FLUXOPS_UPSTREAM_URL")
        .hasMessageContaining("ComfyUI listens on the pod's loopback");
    env.put("FLUXOPS_UPSTREAM_URL", "http://127.0.0.1:8188/api");
    assertThatThrownBy(() -> ConfigLoader.load(env)).hasMessageContaining("without a path");
    env.put("FLUXOPS_UPSTREAM_URL", "http://127.0.0.1:8188/");

    Config config = ConfigLoader.load(env);
    assertThat(config.counting()).isEqualTo(CountingMode.COMFYUI);
    assertThat(config.proxy()).isEmpty();
    assertThat(config.comfyui())
        .hasValueSatisfying(
            c -> {
              assertThat(c.upstream()).hasToString("http://127.0.0.1:8188");
              assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(1));
            });

    env.put("FLUXOPS_COMFYUI_POLL_INTERVAL_SECONDS", "0.05");
    assertThatThrownBy(() -> ConfigLoader.load(env))
        .hasMessageStartingWith("FLUXOPS_COMFYUI_POLL_INTERVAL_SECONDS")
        .hasMessageContaining("from 0.1 to 60");
    env.put("FLUXOPS_COMFYUI_POLL_INTERVAL_SECONDS", "2.5");
    assertThat(ConfigLoader.load(env).comfyui().get().pollInterval()).hasMillis(2500);
  }

  @Test
  void aComfyUiServerApiForProxyCountingPointsToComfyuiCounting() {
    env.put("FLUXOPS_COUNTING", "proxy");
    env.put("FLUXOPS_SERVER_API", "comfyui");
    assertThatThrownBy(() -> ConfigLoader.load(env))
        .hasMessageContaining("set FLUXOPS_COUNTING=comfyui instead");
  }

  @Test
  void namesMisspeltVariablesWithWhatTheyWereMeantToBe() {
    env.put("FLUXOPS_BATCH_INTERVAL_SECOND", "1");
    env.put("FLUXOPS_SOMETHING_ELSE", "x");
    env.put("HOME", "/root");

    assertThat(ConfigLoader.unknownVariables(env))
        .containsExactly(
            "FLUXOPS_BATCH_INTERVAL_SECOND (did you mean FLUXOPS_BATCH_INTERVAL_SECONDS?)",
            "FLUXOPS_SOMETHING_ELSE");
  }

  @Test
  void requiresTheModelSlug() {
    env.remove("FLUXOPS_MODEL_SLUG");

    assertThatThrownBy(() -> ConfigLoader.load(env))
        .hasMessageStartingWith("FLUXOPS_MODEL_SLUG: is required")
        .hasMessageContaining("flux-2-dev");
  }

  @Test
  void metricCountingRequiresUrlAndName() {
    env.put("FLUXOPS_COUNTING", "metric");
    assertThatThrownBy(() -> ConfigLoader.load(env)).hasMessageStartingWith("FLUXOPS_METRIC_URL");

    env.put("FLUXOPS_METRIC_URL", "http://127.0.0.1:8080/metrics");
    assertThatThrownBy(() -> ConfigLoader.load(env)).hasMessageStartingWith("FLUXOPS_METRIC_NAME");

    env.put("FLUXOPS_METRIC_NAME", "flux images");
    assertThatThrownBy(() -> ConfigLoader.load(env))
        .hasMessageContaining("not a Prometheus metric name");
  }

  @Test
  void rejectsAJournalDirectoryThatCannotBeWritten() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "");
    env.put("FLUXOPS_JOURNAL_DIR", file.toString());

    assertThatThrownBy(() -> ConfigLoader.load(env))
        .hasMessageStartingWith("FLUXOPS_JOURNAL_DIR: ")
        .hasMessageContaining("not a writable directory");
  }
}
