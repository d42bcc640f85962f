package io.fluxops.loader.config;

import io.fluxops.common.ModelLoader;
import java.util.Optional;

/**
 * Every environment variable the loader reads: key, default and what it means. The one place where
 * a default is written down; the names the operator sets come from {@link ModelLoader}.
 */
public enum Setting {
  ENDPOINT(
      ModelLoader.ENV_ENDPOINT,
      "https://huggingface.co",
      "base URL of the Hugging Face Hub (or a mirror that answers as it does)"),
  REPO(
      ModelLoader.ENV_REPO,
      null,
      "model repository, owner/name, e.g. black-forest-labs/FLUX.1-dev"),
  REVISION(ModelLoader.ENV_REVISION, "main", "branch, tag or 40-hex commit to download"),
  INCLUDE(
      ModelLoader.ENV_INCLUDE,
      "",
      "comma-separated file patterns (fnmatch, * crosses /); empty: every file of the revision"),
  TOKEN_FILE(
      ModelLoader.ENV_TOKEN_FILE,
      "",
      "file holding a Hugging Face access token (a mounted Secret); empty: no token"),
  TOKEN_SECRET(
      ModelLoader.ENV_TOKEN_SECRET, "", "name of the token's Secret, used only in messages"),
  CACHE_DIR(
      ModelLoader.ENV_CACHE_DIR,
      "/models",
      "the claim's mount: the Hub's cache layout (models--owner--name/...) is written under it"),
  CLAIM_NAME(
      ModelLoader.ENV_CLAIM_NAME, "", "name of the PersistentVolumeClaim, used only in messages"),
  CONNECTIONS(
      "FLUXOPS_CONNECTIONS",
      "4",
      "ranged requests under way at once, across files and within a large one"),
  SEGMENT_BYTES(
      "FLUXOPS_SEGMENT_BYTES",
      "268435456",
      "bytes per ranged request (a segment); a killed run loses at most the segments under way"),
  REQUEST_TIMEOUT_SECONDS(
      "FLUXOPS_REQUEST_TIMEOUT_SECONDS",
      "30",
      "connect timeout, time to the first byte, and the longest pause in a body"),
  ATTEMPTS(
      "FLUXOPS_ATTEMPTS",
      "6",
      "tries of one request on network errors, 429 and 5xx before the loader gives up"),
  RETRY_MAX_BACKOFF_SECONDS(
      "FLUXOPS_RETRY_MAX_BACKOFF_SECONDS", "30", "longest wait between two tries, in seconds"),
  LISTEN_ADDRESS("FLUXOPS_LISTEN_ADDRESS", "0.0.0.0", "address of the /status server"),
  LISTEN_PORT(
      ModelLoader.ENV_LISTEN_PORT,
      String.valueOf(ModelLoader.PORT),
      "port of the /status server (0: any free port)"),
  TERMINATION_LOG(
      "FLUXOPS_TERMINATION_LOG",
      "/dev/termination-log",
      "file the outcome is written to at exit, for the pod's status (empty: none)");

  private final String key;
  private final String defaultValue;
  private final String description;

  Setting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The environment variable's name. */
  public String key() {
    return key;
  }

  /** The value used when the variable is unset, if the setting has one. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** One line for a person configuring the loader. */
  public String description() {
    return description;
  }
}
