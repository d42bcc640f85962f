package io.fluxops.metering.config;

import io.fluxops.common.FluxModel;
import io.fluxops.common.MeteringSidecar;
import java.util.Optional;

/**
 * Every environment variable the sidecar reads: key, default and what it means. The one place where
 * a default is written down.
 */
public enum Setting {
  MODEL_SLUG(
      "FLUXOPS_MODEL_SLUG", null, "BFL licence slug of the model: " + FluxModel.meteredSlugs()),
  USAGE_ENDPOINT("FLUXOPS_USAGE_ENDPOINT", "https://api.bfl.ai", "base URL of BFL's licences API"),
  KEY_FILE(
      "FLUXOPS_KEY_FILE",
      "/var/run/secrets/fluxops/license/api-key",
      "file holding the BFL API key (a mounted Secret; re-read when it changes)"),
  JOURNAL_DIR(
      "FLUXOPS_JOURNAL_DIR", "/var/lib/fluxops/journal", "writable directory for the journal"),
  BATCH_INTERVAL_SECONDS(
      "FLUXOPS_BATCH_INTERVAL_SECONDS", "5", "seconds between reports (and metric scrapes)"),
  LISTEN_ADDRESS(
      "FLUXOPS_LISTEN_ADDRESS",
      "0.0.0.0",
      "address of /metrics, /status and the probes (Prometheus and the kubelet reach the pod IP)"),
  LISTEN_PORT(
      "FLUXOPS_LISTEN_PORT",
      String.valueOf(MeteringSidecar.PORT),
      "port of /metrics, /status and the probes (0: any free port)"),
  USAGE_ADDRESS(
      "FLUXOPS_USAGE_ADDRESS",
      "127.0.0.1",
      "loopback address of the usage endpoint (127.0.0.0/8 or ::1); nothing else is accepted"),
  USAGE_PORT(
      "FLUXOPS_USAGE_PORT",
      String.valueOf(MeteringSidecar.USAGE_PORT),
      "port of the usage endpoint, on the loopback address: only the pod's own containers can report"
          + " (0: any free port)"),
  COUNTING(
      "FLUXOPS_COUNTING",
      "relay",
      "relay (POSTed counts), metric (scraped counter), proxy (counted in responses) or comfyui"
          + " (ComfyUI's history followed)"),
  SERVER_API(
      "FLUXOPS_SERVER_API",
      null,
      "proxy counting: the server's API, nim or openai (what to count)"),
  PROXY_PORT(
      "FLUXOPS_PROXY_PORT", null, "proxy counting: the serving port the sidecar takes (0: any)"),
  UPSTREAM_URL(
      "FLUXOPS_UPSTREAM_URL",
      null,
      "proxy and comfyui counting: the inference server on localhost, e.g. http://127.0.0.1:8188"),
  COMFYUI_POLL_INTERVAL_SECONDS(
      "FLUXOPS_COMFYUI_POLL_INTERVAL_SECONDS",
      "1",
      "comfyui counting: seconds between two reads of ComfyUI's history"),
  METRIC_URL("FLUXOPS_METRIC_URL", null, "metric mode: the inference server's /metrics URL"),
  METRIC_NAME("FLUXOPS_METRIC_NAME", null, "metric mode: the counter of generated images"),
  NAMESPACE("FLUXOPS_NAMESPACE", null, "metric label: the FluxDeployment's namespace"),
  INSTANCE("FLUXOPS_INSTANCE", null, "metric label: the FluxDeployment's name"),
  GPU("FLUXOPS_GPU", null, "metric label: rtx-4090 or blackwell"),
  MAX_BATCH_IMAGES(
      "FLUXOPS_MAX_BATCH_IMAGES",
      "1000",
      "most images in one report; also the most one crash can report twice"),
  REPORT_TIMEOUT_SECONDS(
      "FLUXOPS_REPORT_TIMEOUT_SECONDS",
      "10",
      "deadline of one whole report to BFL (connect, send, answer), in seconds"),
  RETRY_MAX_BACKOFF_SECONDS(
      "FLUXOPS_RETRY_MAX_BACKOFF_SECONDS", "60", "longest wait between retries, in seconds"),
  SHUTDOWN_TIMEOUT_SECONDS(
      "FLUXOPS_SHUTDOWN_TIMEOUT_SECONDS",
      "25",
      "on SIGTERM, how long to keep reporting what is pending; keep it under the pod's grace");

  private final String key;
  private final String defaultValue;
  private final String description;

  Setting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The setting read from the variable {@code key}, if any. */
  public static Optional<Setting> byKey(String key) {
    for (Setting setting : values()) {
      if (setting.key.equals(key)) {
        return Optional.of(setting);
      }
    }
    return Optional.empty();
  }

  /** The environment variable's name. */
  public String key() {
    return key;
  }

  /** The value used when the variable is unset, if the setting has one. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** One line for a person configuring the sidecar. */
  public String description() {
    return description;
  }
}
