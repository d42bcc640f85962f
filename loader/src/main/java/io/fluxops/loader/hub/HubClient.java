package io.fluxops.loader.hub;

import io.fluxops.loader.config.ConfigLoader;
import io.fluxops.loader.config.LoaderConfig;
import io.fluxops.loader.config.Token;
import io.fluxops.loader.json.JsonText;
import io.fluxops.loader.outcome.LoadFailure;
import io.fluxops.loader.outcome.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loader's client of the Hugging Face Hub: the three requests huggingface_hub's {@code
 * snapshot_download} makes, and nothing else. {@code GET /api/models/{repo}/revision/{rev}} lists
 * the files and resolves the revision to a commit; {@code HEAD /{repo}/resolve/{commit}/{path}}
 * gives each file's checksum and size ({@code X-Linked-Etag}, {@code X-Linked-Size}) and redirects
 * to the host that serves its bytes; a ranged {@code GET} there fetches them.
 *
 * <p>The token goes only to the Hub's own origin: redirects are followed by hand, and the file host
 * gets none. Errors are read as huggingface_hub reads them ({@code X-Error-Code}: RepoNotFound,
 * RevisionNotFound, EntryNotFound, GatedRepo) and turned into what to do.
 */
public final class HubClient {
  private static final int MAX_RELATIVE_REDIRECTS = 5;
  private static final int MAX_LISTING_BYTES = 64 << 20;
  private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final String USER_AGENT = "fluxops-loader/" + version();

  private final URI endpoint;
  private final String repo;
  private final Optional<Token> token;
  private final int timeoutMillis;
  private final int maxAttempts;
  private final Backoff backoff;

  public HubClient(LoaderConfig config, Backoff backoff) {
    this.endpoint = config.endpoint();
    this.repo = config.repo();
    this.token = config.token();
    this.timeoutMillis = (int) Math.max(1, config.requestTimeout().toMillis());
    this.maxAttempts = config.attempts();
    this.backoff = backoff;
  }

  /** Fresh try counting for one operation, with this client's limits. */
  public Attempts attempts() {
    return new Attempts(maxAttempts, backoff, endpoint.getHost());
  }

  /** The files of {@code revision} and the commit it resolves to. */
  public RepoListing listing(String revision) throws LoadFailure, InterruptedException {
    URI uri = Urls.modelInfo(endpoint, repo, revision);
    Attempts attempts = attempts();
    while (true) {
      try (HttpAnswer answer = followingRenames("GET", uri)) {
        if (answer.status() != 200) {
          throw refusal(answer, "revision '" + revision + "'", revision);
        }
        byte[] body;
        try (InputStream in = answer.body()) {
          body = in.readNBytes(MAX_LISTING_BYTES + 1);
        }
        if (body.length > MAX_LISTING_BYTES) {
          throw unexpected("a model info larger than " + (MAX_LISTING_BYTES >> 20) + " MiB");
        }
        answer.finished();
        return parseListing(new String(body, StandardCharsets.UTF_8));
      } catch (RetryableStatus e) {
        attempts.failed("list the files of " + repo, e.getMessage(), e.retryAfter());
      } catch (IOException e) {
        attempts.failed("list the files of " + repo, problem(e), Duration.ZERO);
      }
    }
  }

  /** Where {@code path} at {@code commit} is served, and its checksum and size. */
  public FileLocation locate(String commit, String path) throws LoadFailure, InterruptedException {
    Attempts attempts = attempts();
    while (true) {
      try {
        return locateOnce(commit, path);
      } catch (RetryableStatus e) {
        attempts.failed("look up " + path, e.getMessage(), e.retryAfter());
      } catch (IOException e) {
        attempts.failed("look up " + path, problem(e), Duration.ZERO);
      }
    }
  }

  private FileLocation locateOnce(String commit, String path) throws IOException, LoadFailure {
    try (HttpAnswer answer = followingRenames("HEAD", Urls.resolve(endpoint, repo, commit, path))) {
      int status = answer.status();
      if (status == 200) {
        answer.finished();
        return location(answer, commit, path, answer.uri(), true);
      }
      if (status < 300 || status >= 400) {
        throw refusal(answer, "file " + path, commit);
      }
      String header =
          answer
              .header("Location")
              .orElseThrow(() -> unexpected("a " + status + " without Location for " + path));
      answer.finished();
      return location(answer, commit, path, answer.uri().resolve(header), false);
    }
  }

  /**
   * Sends a request to the Hub and follows its redirects within its own origin (a renamed repo
   * answers 307 with its new name); a redirect elsewhere, or any other answer, is returned.
   */
  private HttpAnswer followingRenames(String method, URI uri) throws IOException, LoadFailure {
    URI current = uri;
    for (int hop = 0; hop <= MAX_RELATIVE_REDIRECTS; hop++) {
      HttpAnswer answer = onHub(method, current);
      int status = answer.status();
      Optional<String> location = answer.header("Location");
      if (status < 300 || status >= 400 || location.isEmpty()) {
        return answer;
      }
      URI target = current.resolve(location.get());
      if (!Urls.sameOrigin(target, endpoint)) {
        return answer;
      }
      answer.close();
      current = target;
    }
    throw unexpected("more than " + MAX_RELATIVE_REDIRECTS + " redirects for " + uri.getPath());
  }

  private FileLocation location(
      HttpAnswer answer, String commit, String path, URI url, boolean onHub) throws LoadFailure {
    Optional<String> repoCommit = answer.header("X-Repo-Commit");
    if (repoCommit.isPresent() && !repoCommit.get().equals(commit)) {
      throw unexpected(
          "file " + path + " from commit " + repoCommit.get() + " when " + commit + " was asked");
    }
    Optional<String> linked = answer.header("X-Linked-Etag");
    if (!onHub && linked.isEmpty()) {
      throw unexpected("a redirect of " + path + " to another host without X-Linked-Etag");
    }
    String etag = normalizeEtag(linked.or(() -> answer.header("ETag")).orElse(""));
    if (!HEX64.matcher(etag).matches() && !HEX40.matcher(etag).matches()) {
      throw unexpected("no sha256 or git blob id for " + path + " (ETag '" + etag + "')");
    }
    Optional<String> size =
        answer.header("X-Linked-Size").or(() -> onHub ? answer.header("Content-Length") : none());
    long bytes = size.map(HubClient::parseSize).orElse(-1L);
    if (bytes < 0) {
      throw unexpected("no size for " + path + " (X-Linked-Size)");
    }
    if (!url.getScheme().equalsIgnoreCase("https") && !ConfigLoader.isLoopback(url.getHost())) {
      throw unexpected("a plain-http file URL on " + url.getHost() + " for " + path);
    }
    return new FileLocation(path, etag, bytes, url, onHub);
  }

  /**
   * Opens the bytes {@code from}..{@code to} (inclusive) of a located file: one try. A status worth
   * retrying, including a file URL that expired (403 from the file host), is a {@link
   * RetryableStatus}.
   */
  public Segment open(FileLocation location, long from, long to) throws IOException, LoadFailure {
    HttpURLConnection connection =
        connect("GET", location.url(), location.onHub(), "bytes=" + from + "-" + to);
    HttpAnswer answer = new HttpAnswer(location.url(), connection, connection.getResponseCode());
    try {
      int status = answer.status();
      if (status == 206) {
        long start = contentRangeStart(answer, location);
        if (start != from) {
          throw unexpected("bytes from " + start + " when " + from + " were asked");
        }
        return new Segment(answer, start);
      }
      if (status == 200) {
        return new Segment(answer, 0); // the host ignored Range: it sends the whole file
      }
      if (!location.onHub() && (status == 401 || status == 403 || status == 404)) {
        // A signed file URL that expired or was refused: the next try locates the file again.
        throw new RetryableStatus(
            status + " from " + location.url().getHost() + " for " + location.path(),
            Duration.ZERO);
      }
      throw refusal(answer, "file " + location.path(), "");
    } catch (IOException | LoadFailure | RuntimeException e) {
      answer.close();
      throw e;
    }
  }

  private long contentRangeStart(HttpAnswer answer, FileLocation location) throws LoadFailure {
    String header = answer.header("Content-Range").orElse("");
    Matcher matcher = CONTENT_RANGE.matcher(header);
    if (!matcher.matches()) {
      throw unexpected("a 206 for " + location.path() + " with Content-Range '" + header + "'");
    }
    String total = matcher.group(3);
    if (!total.equals("*") && Long.parseLong(total) != location.size()) {
      throw unexpected(
          location.path() + " of " + total + " bytes where the Hub said " + location.size());
    }
    return Long.parseLong(matcher.group(1));
  }

  private HttpAnswer onHub(String method, URI uri) throws IOException {
    HttpURLConnection connection = connect(method, uri, true, null);
    return new HttpAnswer(uri, connection, connection.getResponseCode());
  }

  private HttpURLConnection connect(String method, URI uri, boolean withToken, String range)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setRequestMethod(method);
    connection.setConnectTimeout(timeoutMillis);
    // A read that waits this long is a stalled download (kserve#5611): fail it and resume.
    connection.setReadTimeout(timeoutMillis);
    connection.setRequestProperty("User-Agent", USER_AGENT);
    // The real size of the file, never a compressed one (huggingface_hub does the same).
    connection.setRequestProperty("Accept-Encoding", "identity");
    if (withToken && token.isPresent()) {
      connection.setRequestProperty("Authorization", token.get().bearer());
    }
    if (range != null) {
      connection.setRequestProperty("Range", range);
    }
    return connection;
  }

  /**
   * The failure an error answer means, or a {@link RetryableStatus} when another try may pass.
   *
   * @param subject what was asked for, for messages ("file ae.safetensors")
   */
  private LoadFailure refusal(HttpAnswer answer, String subject, String revision)
      throws RetryableStatus {
    int status = answer.status();
    String code = answer.header("X-Error-Code").orElse("");
    String message = answer.header("X-Error-Message").orElseGet(() -> bodyError(answer));
    if (status == 408 || status == 429 || status >= 500) {
      throw new RetryableStatus(
          status + (message.isEmpty() ? "" : " " + message), retryAfter(answer));
    }
    String page = endpoint + "/" + repo;
    String tokenText = Token.describe(token);
    if (code.equals("GatedRepo")) {
      if (token.isEmpty()) {
        return new LoadFailure(
            Reason.GATED_NO_TOKEN,
            repo
                + " is gated and no token was given (the Hub answered "
                + status
                + "): put a read token of an account that accepted the licence at "
                + page
                + " in a Secret and set spec.modelCache.source.huggingface.tokenSecretRef");
      }
      return new LoadFailure(
          Reason.LICENCE_NOT_ACCEPTED,
          "the account of "
              + tokenText
              + " has not accepted the licence of "
              + repo
              + " on Hugging Face (the Hub answered "
              + status
              + "): sign in to Hugging Face as that account and accept it at "
              + page);
    }
    if (message.equals("Invalid credentials in Authorization header")) {
      return new LoadFailure(
          Reason.TOKEN_REJECTED,
          "Hugging Face refused "
              + tokenText
              + " as invalid credentials (401): it is wrong, expired or revoked; create a read"
              + " token at "
              + endpoint
              + "/settings/tokens and put it in the Secret");
    }
    if (code.equals("RevisionNotFound")) {
      return new LoadFailure(
          Reason.REVISION_NOT_FOUND,
          "revision '"
              + revision
              + "' does not exist in "
              + repo
              + ": set spec.modelCache.source.huggingface.revision to a branch, tag or commit of "
              + page);
    }
    if (code.equals("EntryNotFound")) {
      return new LoadFailure(
          Reason.FILE_NOT_FOUND,
          subject + " is listed in " + repo + " but the Hub answers 404 for it: " + message);
    }
    if (code.equals("RepoNotFound") || status == 401 || (status == 404 && code.isEmpty())) {
      return new LoadFailure(
          Reason.REPO_NOT_FOUND,
          "repository "
              + repo
              + " does not exist on Hugging Face, or it is private and "
              + tokenText
              + " cannot read it ("
              + status
              + "): check spec.modelCache.source.huggingface.repo");
    }
    if (status == 403) {
      return new LoadFailure(
          Reason.ACCESS_DENIED,
          "Hugging Face refused "
              + tokenText
              + " access to "
              + repo
              + " (403"
              + (message.isEmpty() ? "" : ": " + message)
              + "): a fine-grained token needs read access to the repository's contents,"
              + " including public gated repositories");
    }
    return unexpected(status + " for " + subject + (message.isEmpty() ? "" : ": " + message));
  }

  private LoadFailure unexpected(String what) {
    return new LoadFailure(
        Reason.UNEXPECTED_RESPONSE,
        "the Hub at "
            + endpoint
            + " answered "
            + what
            + ": is FLUXOPS_HF_ENDPOINT a Hugging Face Hub, or is a proxy changing its answers?");
  }

  private RepoListing parseListing(String text) throws LoadFailure {
    Map<String, Object> info;
    try {
      info = JsonText.object(text);
    } catch (IOException e) {
      throw unexpected("model info that is not a JSON object (" + e.getMessage() + ")");
    }
    String commit = JsonText.string(info, "sha").orElse("");
    if (!HEX40.matcher(commit).matches()) {
      throw unexpected("model info without a 40-hex commit in 'sha'");
    }
    Object gated = info.get("gated");
    boolean isGated = gated instanceof String || Boolean.TRUE.equals(gated);
    List<?> siblings =
        JsonText.array(info, "siblings")
            .orElseThrow(() -> unexpected("model info without 'siblings'"));
    List<RepoFile> files = new ArrayList<>(siblings.size());
    for (Object sibling : siblings) {
      files.add(repoFile(sibling));
    }
    return new RepoListing(commit, isGated, files);
  }

  @SuppressWarnings("unchecked")
  private RepoFile repoFile(Object sibling) throws LoadFailure {
    if (!(sibling instanceof Map<?, ?>)) {
      throw unexpected("a sibling that is not an object");
    }
    Map<String, Object> entry = (Map<String, Object>) sibling;
    String path =
        JsonText.string(entry, "rfilename")
            .orElseThrow(() -> unexpected("a sibling without 'rfilename'"));
    if (!RepoPaths.isSafe(path)) {
      throw unexpected("a file name that would leave the snapshot: '" + RepoPaths.show(path) + "'");
    }
    long size =
        JsonText.whole(entry, "size")
            .filter(s -> s >= 0)
            .orElseThrow(() -> unexpected("no 'size' for " + path + " (blobs=true)"));
    Optional<Map<String, Object>> lfs = JsonText.object(entry, "lfs");
    Optional<String> sha256 = Optional.empty();
    if (lfs.isPresent()) {
      String sha = JsonText.string(lfs.get(), "sha256").orElse("");
      if (!HEX64.matcher(sha).matches()) {
        throw unexpected("an LFS file without a sha256: " + path);
      }
      sha256 = Optional.of(sha);
    }
    Optional<String> blobId =
        JsonText.string(entry, "blobId").filter(id -> HEX40.matcher(id).matches());
    return new RepoFile(path, size, sha256, blobId);
  }

  /** As huggingface_hub's _normalize_etag: drop a weak marker and the quotes. */
  static String normalizeEtag(String etag) {
    String value = etag.startsWith("W/") ? etag.substring(2) : etag;
    return value.replace("\"", "").toLowerCase(Locale.ROOT);
  }

  private static long parseSize(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Duration retryAfter(HttpAnswer answer) {
    try {
      long seconds = Long.parseLong(answer.header("Retry-After").orElse("0"));
      return Duration.ofSeconds(Math.max(0, Math.min(seconds, 3600)));
    } catch (NumberFormatException e) {
      return Duration.ZERO; // an HTTP date: the backoff's own wait applies
    }
  }

  private static String bodyError(HttpAnswer answer) {
    String text = answer.errorText();
    try {
      return JsonText.string(JsonText.object(text), "error").orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  /** A network failure in a few words, for messages and logs. */
  public static String problem(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static Optional<String> none() {
    return Optional.empty();
  }

  private static String version() {
    String version = HubClient.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
