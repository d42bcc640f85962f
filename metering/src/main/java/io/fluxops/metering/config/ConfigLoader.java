package io.fluxops.metering.config;

import io.fluxops.common.FluxModel;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and validates the configuration from environment variables. Every check happens here, at
 * start, so that a mistake stops the sidecar with a message naming the variable instead of
 * surfacing later as lost or unreported counts.
 */
public final class ConfigLoader {
  private static final Set<String> GPU_TYPES = Set.of("rtx-4090", "blackwell");
  private static final int MAX_LABEL_LENGTH = 253;

  private final Map<String, String> env;

  private ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** Validates {@code env} (usually {@link System#getenv()}) into a configuration. */
  public static Config load(Map<String, String> env) throws ConfigException {
    return new ConfigLoader(env).load();
  }

  private Config load() throws ConfigException {
    CountingMode counting = counting();
    return new Config(
        model(),
        baseUrl(Setting.USAGE_ENDPOINT),
        readableFile(Setting.KEY_FILE),
        writableDirectory(Setting.JOURNAL_DIR),
        seconds(Setting.BATCH_INTERVAL_SECONDS, "0.01", "3600"),
        listenAddress(),
        integer(Setting.LISTEN_PORT, 0, 65535),
        usageAddress(),
        integer(Setting.USAGE_PORT, 0, 65535),
        counting,
        counting == CountingMode.METRIC ? Optional.of(metricSource()) : Optional.empty(),
        counting == CountingMode.PROXY ? Optional.of(proxy()) : Optional.empty(),
        counting == CountingMode.COMFYUI ? Optional.of(comfyui()) : Optional.empty(),
        new MetricLabels(label(Setting.NAMESPACE), label(Setting.INSTANCE), gpu()),
        integer(Setting.MAX_BATCH_IMAGES, 1, 1_000_000),
        seconds(Setting.REPORT_TIMEOUT_SECONDS, "0.1", "300"),
        seconds(Setting.RETRY_MAX_BACKOFF_SECONDS, "0.01", "3600"),
        seconds(Setting.SHUTDOWN_TIMEOUT_SECONDS, "0.1", "3600"));
  }

  private Optional<String> value(Setting setting) throws ConfigException {
    String raw = env.get(setting.key());
    if (raw == null) {
      return setting.defaultValue();
    }
    if (raw.isBlank()) {
      // Set but empty is a mistake (a missing value in a manifest), not a request for the default.
      throw new ConfigException(
          setting.key(),
          "is set but empty; give it a value, or leave it unset"
              + setting.defaultValue().map(d -> " for the default " + d).orElse(""));
    }
    return Optional.of(raw.trim());
  }

  /**
   * FLUXOPS_ variables in {@code env} that the sidecar does not read, each with the setting it was
   * probably meant to be: a misspelt name is otherwise silently ignored.
   */
  public static List<String> unknownVariables(Map<String, String> env) {
    List<String> unknown = new ArrayList<>();
    for (String name : new TreeSet<>(env.keySet())) {
      if (!name.startsWith("FLUXOPS_") || Setting.byKey(name).isPresent()) {
        continue;
      }
      Setting closest = Setting.values()[0];
      for (Setting setting : Setting.values()) {
        if (distance(name, setting.key()) < distance(name, closest.key())) {
          closest = setting;
        }
      }
      unknown.add(
          name
              + (distance(name, closest.key()) <= 3
                  ? " (did you mean " + closest.key() + "?)"
                  : ""));
    }
    return unknown;
  }

  /** Levenshtein distance, for suggestions. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private String required(Setting setting) throws ConfigException {
    Optional<String> value = value(setting);
    if (value.isEmpty()) {
      throw new ConfigException(setting.key(), "is required (" + setting.description() + ")");
    }
    return value.get();
  }

  private FluxModel model() throws ConfigException {
    String slug = required(Setting.MODEL_SLUG);
    if (slug.equals("flux-1-schnell")) {
      throw new ConfigException(
          Setting.MODEL_SLUG.key(),
          "flux-1-schnell is Apache-2.0 and is not metered; run it without this sidecar");
    }
    return FluxModel.meteredFromSlug(slug)
        .orElseThrow(
            () ->
                new ConfigException(
                    Setting.MODEL_SLUG.key(),
                    "unknown slug '" + slug + "'; use one of " + FluxModel.meteredSlugs()));
  }

  private URI baseUrl(Setting setting) throws ConfigException {
    String raw = required(setting);
    while (raw.endsWith("/")) {
      raw = raw.substring(0, raw.length() - 1);
    }
    URI uri = httpUri(setting, raw);
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(
          setting.key(), "must be a base URL without query or fragment, got '" + raw + "'");
    }
    return uri;
  }

  private static URI httpUri(Setting setting, String raw) throws ConfigException {
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new ConfigException(
            setting.key(), "must be an http:// or https:// URL with a host, got '" + raw + "'");
      }
      if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
        throw new ConfigException(
            setting.key(),
            "has port " + uri.getPort() + "; a port is 1 to 65535, got '" + raw + "'");
      }
      if (uri.getRawUserInfo() != null) {
        throw new ConfigException(
            setting.key(),
            "must not carry credentials (user:password@); the key comes from a file");
      }
      // What the outbound client does with it: anything it would refuse, refuse now.
      uri.toURL();
      return uri;
    } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
      throw new ConfigException(setting.key(), "is not a valid URL: " + e.getMessage());
    }
  }

  private Path path(Setting setting) throws ConfigException {
    String raw = required(setting);
    try {
      return Path.of(raw);
    } catch (InvalidPathException e) {
      throw new ConfigException(setting.key(), "is not a valid path: " + e.getMessage());
    }
  }

  private Path readableFile(Setting setting) throws ConfigException {
    Path file = path(setting);
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          setting.key(),
          "no file at "
              + file
              + "; mount the licence Secret there or point the variable at the key file");
    }
    if (!Files.isReadable(file)) {
      throw new ConfigException(
          setting.key(), "cannot read " + file + "; give user 65532 read access (defaultMode)");
    }
    return file;
  }

  private Path writableDirectory(Setting setting) throws ConfigException {
    Path dir = path(setting);
    try {
      Files.createDirectories(dir);
      // Files.isWritable answers from permission bits; a read-only mount only shows on write.
      Path probe = Files.createTempFile(dir, ".probe", ".tmp");
      Files.delete(probe);
      return dir;
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("No space left on device")) {
        // Writable, but full: the journal starts anyway, refusing counts until there is room.
        return dir;
      }
      throw new ConfigException(
          setting.key(),
          dir
              + " is not a writable directory ("
              + e.getClass().getSimpleName()
              + "); mount an emptyDir there");
    }
  }

  private Duration seconds(Setting setting, String min, String max) throws ConfigException {
    String raw = required(setting);
    BigDecimal value;
    try {
      value = new BigDecimal(raw);
    } catch (NumberFormatException e) {
      value = null;
    }
    if (value == null
        || value.compareTo(new BigDecimal(min)) < 0
        || value.compareTo(new BigDecimal(max)) > 0) {
      throw new ConfigException(
          setting.key(),
          "must be a number of seconds from " + min + " to " + max + ", got '" + raw + "'");
    }
    return Duration.ofNanos(value.movePointRight(9).longValue());
  }

  private int integer(Setting setting, int min, int max) throws ConfigException {
    String raw = required(setting);
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new ConfigException(
        setting.key(), "must be an integer from " + min + " to " + max + ", got '" + raw + "'");
  }

  private String listenAddress() throws ConfigException {
    String raw = required(Setting.LISTEN_ADDRESS);
    boolean ipLiteral = raw.matches("[0-9.]+") || raw.contains(":");
    if (!raw.matches("[0-9A-Za-z.:\\-]+") || (ipLiteral && ipLiteral(raw) == null)) {
      throw new ConfigException(
          Setting.LISTEN_ADDRESS.key(), "must be an IP address or host name, got '" + raw + "'");
    }
    return raw;
  }

  private InetAddress usageAddress() throws ConfigException {
    String raw = required(Setting.USAGE_ADDRESS);
    InetAddress address = ipLiteral(raw);
    if (address == null || !address.isLoopbackAddress()) {
      throw new ConfigException(
          Setting.USAGE_ADDRESS.key(),
          "must be a loopback IP address (127.0.0.1, 127.x.y.z or ::1), so that only the pod's own"
              + " containers can report usage; got '"
              + raw
              + "'");
    }
    return address;
  }

  /** The address an IPv4 or IPv6 literal stands for, or null; never asks DNS. */
  private static InetAddress ipLiteral(String raw) {
    if (raw.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      for (String part : raw.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return null;
        }
      }
    } else if (!raw.matches("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?")) {
      return null;
    }
    try {
      // A literal: resolved without a DNS lookup.
      return InetAddress.getByName(raw);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private CountingMode counting() throws ConfigException {
    String raw = required(Setting.COUNTING);
    for (CountingMode mode : CountingMode.values()) {
      if (mode.value().equals(raw)) {
        return mode;
      }
    }
    throw new ConfigException(
        Setting.COUNTING.key(),
        "must be 'relay', 'metric', 'proxy' or 'comfyui', got '" + raw + "'");
  }

  private Config.Proxy proxy() throws ConfigException {
    String api = required(Setting.SERVER_API);
    ServerApi server = null;
    for (ServerApi candidate : ServerApi.values()) {
      if (candidate.value().equals(api)) {
        server = candidate;
      }
    }
    if (server == null) {
      throw new ConfigException(
          Setting.SERVER_API.key(),
          "must be nim or openai (the APIs proxy counting reads), got '"
              + api
              + "'"
              + (api.equals("comfyui")
                  ? "; ComfyUI is counted from its history: set FLUXOPS_COUNTING=comfyui instead"
                  : ""));
    }
    int port = integer(Setting.PROXY_PORT, 0, 65535);
    return new Config.Proxy(server, port, loopbackUpstream("the server"));
  }

  private Config.ComfyUi comfyui() throws ConfigException {
    return new Config.ComfyUi(
        loopbackUpstream("ComfyUI"), seconds(Setting.COMFYUI_POLL_INTERVAL_SECONDS, "0.1", "60"));
  }

  /** The inference server's base URL, which must be plain HTTP on the pod's loopback. */
  private URI loopbackUpstream(String what) throws ConfigException {
    String raw = required(Setting.UPSTREAM_URL);
    while (raw.endsWith("/")) {
      raw = raw.substring(0, raw.length() - 1);
    }
    URI upstream = httpUri(Setting.UPSTREAM_URL, raw);
    InetAddress host = ipLiteral(upstream.getHost());
    if (!upstream.getScheme().equals("http")
        || !(upstream.getHost().equals("localhost") || (host != null && host.isLoopbackAddress()))
        || upstream.getRawPath().length() > 0
        || upstream.getRawQuery() != null) {
      throw new ConfigException(
          Setting.UPSTREAM_URL.key(),
          "must be http://127.0.0.1:<port> (or localhost) without a path: "
              + what
              + " listens on the pod's loopback beside the sidecar; got '"
              + raw
              + "'");
    }
    return upstream;
  }

  private Config.MetricSource metricSource() throws ConfigException {
    URI url = httpUri(Setting.METRIC_URL, required(Setting.METRIC_URL));
    String name = required(Setting.METRIC_NAME);
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new ConfigException(
          Setting.METRIC_NAME.key(), "is not a Prometheus metric name: '" + name + "'");
    }
    return new Config.MetricSource(url, name);
  }

  private Optional<String> label(Setting setting) throws ConfigException {
    Optional<String> value = value(setting);
    if (value.isPresent()
        && (value.get().length() > MAX_LABEL_LENGTH || !value.get().matches("[\\x21-\\x7e]+"))) {
      throw new ConfigException(
          setting.key(), "must be at most 253 printable characters without spaces");
    }
    return value;
  }

  private Optional<String> gpu() throws ConfigException {
    Optional<String> gpu = value(Setting.GPU);
    if (gpu.isPresent() && !GPU_TYPES.contains(gpu.get())) {
      throw new ConfigException(
          Setting.GPU.key(), "must be rtx-4090 or blackwell, got '" + gpu.get() + "'");
    }
    return gpu;
  }
}
