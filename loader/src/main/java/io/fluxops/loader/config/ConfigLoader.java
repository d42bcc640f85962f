package io.fluxops.loader.config;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and validates the configuration from environment variables. Every check happens here, at
 * start, so that a mistake stops the loader with a message naming the variable, before a byte is
 * fetched.
 */
public final class ConfigLoader {
  /** The Hub's rule for a repo id (huggingface_hub's validate_repo_id): [owner/]name, 96 max. */
  private static final Pattern REPO = Pattern.compile("([\\w.-]{1,96}/)?[\\w.-]{1,96}");

  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9._/-]{1,255}");
  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,4096}");
  private static final int MAX_PATTERNS = 256;

  private final Map<String, String> env;

  private ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** Validates {@code env} (usually {@link System#getenv()}) into a configuration. */
  public static LoaderConfig load(Map<String, String> env) throws ConfigException {
    return new ConfigLoader(env).load();
  }

  private LoaderConfig load() throws ConfigException {
    return new LoaderConfig(
        endpoint(),
        repo(),
        revision(),
        include(),
        token(),
        cacheDir(),
        text(Setting.CLAIM_NAME),
        integer(Setting.CONNECTIONS, 1, 32),
        bytes(Setting.SEGMENT_BYTES, 64 * 1024L, 1L << 40),
        seconds(Setting.REQUEST_TIMEOUT_SECONDS, "0.1", "600"),
        integer(Setting.ATTEMPTS, 1, 100),
        seconds(Setting.RETRY_MAX_BACKOFF_SECONDS, "0.001", "3600"),
        required(Setting.LISTEN_ADDRESS),
        integer(Setting.LISTEN_PORT, 0, 65535),
        optionalPath(Setting.TERMINATION_LOG));
  }

  private String text(Setting setting) {
    String raw = env.get(setting.key());
    return raw == null || raw.isBlank() ? setting.defaultValue().orElse("") : raw.trim();
  }

  private String required(Setting setting) throws ConfigException {
    String value = text(setting);
    if (value.isEmpty()) {
      throw new ConfigException(setting.key(), "is required (" + setting.description() + ")");
    }
    return value;
  }

  private URI endpoint() throws ConfigException {
    String key = Setting.ENDPOINT.key();
    String raw = required(Setting.ENDPOINT).replaceAll("/+$", "");
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "is not a valid URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new ConfigException(key, "must be an https:// URL with a host, got '" + raw + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(key, "must be a base URL without query or fragment");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new ConfigException(
          key, "must be https:// (the token would travel in clear); http:// is for loopback only");
    }
    return uri;
  }

  /** Whether {@code host} names this machine: plain HTTP is allowed there and only there. */
  public static boolean isLoopback(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // a name: do not resolve it here
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private String repo() throws ConfigException {
    String repo = required(Setting.REPO);
    if (!REPO.matcher(repo).matches() || repo.contains("--") || repo.contains("..")) {
      throw new ConfigException(
          Setting.REPO.key(),
          "must be a Hugging Face repo id such as black-forest-labs/FLUX.1-dev (letters, digits,"
              + " '-', '_', '.'; no '--' or '..'), got '"
              + repo
              + "'");
    }
    return repo;
  }

  private String revision() throws ConfigException {
    String revision = required(Setting.REVISION);
    if (!REVISION.matcher(revision).matches()
        || revision.startsWith("/")
        || revision.endsWith("/")
        || revision.contains("..")
        || revision.contains("//")) {
      throw new ConfigException(
          Setting.REVISION.key(),
          "must be a branch, tag or commit (letters, digits, '.', '_', '-', '/'), got '"
              + revision
              + "'");
    }
    return revision;
  }

  private List<String> include() throws ConfigException {
    List<String> patterns = new ArrayList<>();
    for (String part : text(Setting.INCLUDE).split(",")) {
      String pattern = part.trim();
      if (pattern.isEmpty()) {
        continue;
      }
      if (pattern.length() > 1024 || pattern.chars().anyMatch(c -> c < 0x20)) {
        throw new ConfigException(
            Setting.INCLUDE.key(), "has a pattern that is too long or holds control characters");
      }
      patterns.add(pattern);
    }
    if (patterns.size() > MAX_PATTERNS) {
      throw new ConfigException(
          Setting.INCLUDE.key(), "has more than " + MAX_PATTERNS + " patterns");
    }
    return patterns;
  }

  private Optional<Token> token() throws ConfigException {
    String key = Setting.TOKEN_FILE.key();
    Optional<Path> file = optionalPath(Setting.TOKEN_FILE);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    String secret = text(Setting.TOKEN_SECRET);
    String source = secret.isEmpty() ? "" : " (Secret " + secret + ")";
    if (!Files.isRegularFile(file.get())) {
      throw new ConfigException(key, "names no file: " + file.get() + source + " is not mounted");
    }
    String value;
    try {
      value = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException(
          key, "cannot be read: " + file.get() + source + ": give user 65532 read access");
    }
    if (!TOKEN.matcher(value).matches()) {
      // Say what is wrong without echoing any of it.
      throw new ConfigException(
          key,
          (value.isEmpty() ? "holds an empty token" : "holds spaces or non-ASCII characters")
              + source
              + ": put the token alone in the Secret's key");
    }
    return Optional.of(new Token(value, secret));
  }

  private Path cacheDir() throws ConfigException {
    Path dir = path(Setting.CACHE_DIR, required(Setting.CACHE_DIR));
    try {
      Files.createDirectories(dir);
      // Files.isWritable answers from permission bits; a read-only mount only shows on write.
      Files.delete(Files.createTempFile(dir, ".probe", ".tmp"));
      return dir;
    } catch (IOException e) {
      throw new ConfigException(
          Setting.CACHE_DIR.key(),
          dir
              + " is not a writable directory ("
              + e.getClass().getSimpleName()
              + "): mount the claim read-write, with fsGroup 65532 or a volume the user can write");
    }
  }

  private Optional<Path> optionalPath(Setting setting) throws ConfigException {
    String raw = text(setting);
    return raw.isEmpty() ? Optional.empty() : Optional.of(path(setting, raw));
  }

  private static Path path(Setting setting, String raw) throws ConfigException {
    try {
      return Path.of(raw);
    } catch (InvalidPathException e) {
      throw new ConfigException(setting.key(), "is not a valid path: " + e.getMessage());
    }
  }

  private int integer(Setting setting, int min, int max) throws ConfigException {
    return (int) bytes(setting, min, max);
  }

  private long bytes(Setting setting, long min, long max) throws ConfigException {
    String raw = required(setting);
    try {
      long value = Long.parseLong(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new ConfigException(
        setting.key(), "must be a whole number from " + min + " to " + max + ", got '" + raw + "'");
  }

  private Duration seconds(Setting setting, String min, String max) throws ConfigException {
    String raw = required(setting);
    try {
      BigDecimal value = new BigDecimal(raw);
      if (value.compareTo(new BigDecimal(min)) >= 0 && value.compareTo(new BigDecimal(max)) <= 0) {
        return Duration.ofNanos(value.movePointRight(9).longValue());
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new ConfigException(
        setting.key(),
        "must be a number of seconds from " + min + " to " + max + ", got '" + raw + "'");
  }
}
