package io.fluxops.metering.support;

import io.fluxops.metering.config.Config;
import io.fluxops.metering.config.ConfigException;
import io.fluxops.metering.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Environments for a sidecar under test: loopback, a free port, fast intervals and short timeouts,
 * so that every fault resolves in milliseconds. Built through {@link ConfigLoader}, the same path
 * as production.
 */
public final class TestConfig {
  public static final String KEY = "test-key-0123456789abcdef";

  private final Map<String, String> env = new HashMap<>();

  private TestConfig(Path dir, URI endpoint) throws IOException {
    Path keyFile = dir.resolve("api-key");
    if (!Files.exists(keyFile)) {
      Files.writeString(keyFile, KEY + "\n");
    }
    env.put("FLUXOPS_MODEL_SLUG", "flux-1-dev");
    env.put("FLUXOPS_USAGE_ENDPOINT", endpoint.toString());
    env.put("FLUXOPS_KEY_FILE", keyFile.toString());
    env.put("FLUXOPS_JOURNAL_DIR", dir.resolve("journal").toString());
    env.put("FLUXOPS_LISTEN_ADDRESS", "127.0.0.1");
    env.put("FLUXOPS_LISTEN_PORT", "0");
    env.put("FLUXOPS_USAGE_PORT", "0");
    env.put("FLUXOPS_BATCH_INTERVAL_SECONDS", "0.05");
    env.put("FLUXOPS_REPORT_TIMEOUT_SECONDS", "0.5");
    env.put("FLUXOPS_RETRY_MAX_BACKOFF_SECONDS", "0.1");
    env.put("FLUXOPS_SHUTDOWN_TIMEOUT_SECONDS", "5");
  }

  /** A test environment with its key file and journal under {@code dir}. */
  public static TestConfig in(Path dir, URI endpoint) throws IOException {
    return new TestConfig(dir, endpoint);
  }

  public TestConfig with(String variable, String value) {
    env.put(variable, value);
    return this;
  }

  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  public Config load() throws ConfigException {
    return ConfigLoader.load(env);
  }
}
