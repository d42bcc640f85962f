package io.fluxops.loader.standin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fluxops.loader.json.JsonText;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hugging Face Hub on loopback, answering the requests the loader makes as the Hub documents
 * them (huggingface_hub's hf_api.model_info, file_download.get_hf_file_metadata and http_get,
 * utils/_http.hf_raise_for_status; the Hub's "Understand caching" guide):
 *
 * <ul>
 *   <li>{@code GET /api/models/{repo}/revision/{rev}}: {@code sha} and {@code siblings} (with
 *       {@code blobs=true}: {@code size}, {@code blobId}, {@code lfs: {sha256, size,
 *       pointerSize}}); {@code gated}.
 *   <li>{@code HEAD|GET /{repo}/resolve/{rev}/{path}}: an LFS file answers 302 to the file host
 *       with {@code X-Linked-Etag} (quoted sha256), {@code X-Linked-Size} and {@code
 *       X-Repo-Commit}; a git file answers 200 with {@code ETag} (quoted git blob id).
 *   <li>The file host: signed, expiring URLs; {@code Range: bytes=a-b} answers 206 with {@code
 *       Content-Range}; a range past the end 416.
 *   <li>Errors carry {@code X-Error-Code} and {@code X-Error-Message} and a body {@code {"error":
 *       ...}}: RepoNotFound (401 without a token, 404 with one), RevisionNotFound (404),
 *       EntryNotFound (404), GatedRepo (401 without a token, 403 when the token's account has not
 *       accepted), and 401 "Invalid credentials in Authorization header" for an unknown token.
 *   <li>A renamed repo answers 307 with a relative Location under its new name.
 * </ul>
 *
 * Two servers, so that the token's staying on the Hub's origin can be checked: {@link #served()}
 * records every request.
 */
public final class StandInHub implements AutoCloseable {
  private static final Pattern API = Pattern.compile("/api/models/(.+)/revision/([^/]+)");
  private static final Pattern RESOLVE = Pattern.compile("/(.+?)/resolve/([^/]+)/(.+)");
  private static final Pattern FILE = Pattern.compile("/lfs/([0-9a-f]{64})");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
  private static final int CHUNK = 64 * 1024;

  private final HttpServer hub;
  private final HttpServer files;
  private final ExecutorService executor;
  private final Faults faults = new Faults();
  private final List<Served> served = new CopyOnWriteArrayList<>();
  private final List<Served> arrived = new CopyOnWriteArrayList<>();
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final Map<String, String> renamed = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> accepted = new ConcurrentHashMap<>();
  private final Map<String, Content> blobs = new ConcurrentHashMap<>();
  private final AtomicInteger commits = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger activeFiles = new AtomicInteger();
  private final AtomicInteger maxActiveFiles = new AtomicInteger();
  private final String secret = Long.toHexString(System.nanoTime());

  /** The status of a body being sent, so that a request cut mid-body is recorded with it. */
  private final ThreadLocal<Integer> sending = ThreadLocal.withInitial(() -> -1);

  private static final class Repo {
    final Map<String, String> branches = new ConcurrentHashMap<>();
    final Map<String, List<StandInFile>> commits = new ConcurrentHashMap<>();
    volatile boolean gated;
  }

  private StandInHub() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    AtomicInteger threads = new AtomicInteger();
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "stand-in-hub-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    hub = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
    files = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
    hub.setExecutor(executor);
    files.setExecutor(executor);
    hub.createContext("/", this::onHub);
    files.createContext("/", this::onFiles);
    hub.start();
    files.start();
  }

  /** Starts both servers on free loopback ports. */
  public static StandInHub start() throws IOException {
    return new StandInHub();
  }

  /** The Hub's base URL, for FLUXOPS_HF_ENDPOINT. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
  }

  public Faults faults() {
    return faults;
  }

  /** Every request answered so far, in order. */
  public List<Served> served() {
    return List.copyOf(served);
  }

  /**
   * Forgets the requests served so far, once none is in flight: a connection of a killed client
   * ends (and is recorded) only when the stand-in next writes to it.
   */
  /** Requests to the file host as they arrived (status 0), before their answer is sent. */
  public List<Served> arrived() {
    return List.copyOf(arrived);
  }

  /** The most requests the file host served at one time. */
  public int maxConcurrentFileRequests() {
    return maxActiveFiles.get();
  }

  public void clearServed() {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> active.get() == 0);
    served.clear();
    arrived.clear();
  }

  /**
   * Commits {@code files} to {@code branch} of {@code repo} (created if new); returns the commit.
   */
  public String commit(String repo, String branch, List<StandInFile> content) {
    Repo r = repos.computeIfAbsent(repo, k -> new Repo());
    String commit = sha1(repo + "\0" + branch + "\0" + commits.incrementAndGet());
    r.commits.put(commit, List.copyOf(content));
    r.branches.put(branch, commit);
    for (StandInFile file : content) {
      if (file.lfs()) {
        blobs.put(file.content().sha256(), file.content());
      }
    }
    return commit;
  }

  /** Makes {@code repo} gated: its files need a token whose account accepted the licence. */
  public void gate(String repo) {
    repos.get(repo).gated = true;
  }

  /** A valid token, and the gated repos its account accepted. */
  public void token(String token, String... acceptedRepos) {
    accepted.put(token, Set.of(acceptedRepos));
  }

  /** {@code from} was renamed to {@code to}: the Hub redirects the old name. */
  public void rename(String from, String to) {
    renamed.put(from, to);
  }

  private void onHub(HttpExchange exchange) throws IOException {
    int status = -1;
    active.incrementAndGet();
    try (exchange) {
      status = answerHub(exchange, exchange.getRequestURI().getRawPath());
    } finally {
      record("hub", exchange, status);
      active.decrementAndGet();
    }
  }

  private int answerHub(HttpExchange exchange, String path) throws IOException {
    if (faults.unavailableNow()) {
      return error(exchange, 503, "", "Service Unavailable");
    }
    Optional<String> token = bearer(exchange);
    if (token.isPresent() && !accepted.containsKey(token.get())) {
      return error(exchange, 401, "", "Invalid credentials in Authorization header");
    }
    Matcher api = API.matcher(path);
    Matcher resolve = RESOLVE.matcher(path);
    boolean isApi = api.matches();
    if (!isApi && !resolve.matches()) {
      return error(exchange, 404, "", "Not Found");
    }
    Matcher matched = isApi ? api : resolve;
    String repoId = decode(matched.group(1));
    String revision = decode(matched.group(2));
    if (renamed.containsKey(repoId)) {
      return rename(exchange, path, repoId, renamed.get(repoId));
    }
    Repo repo = repos.get(repoId);
    if (repo == null) {
      return error(exchange, token.isPresent() ? 404 : 401, "RepoNotFound", "Repository not found");
    }
    if (!isApi && repo.gated) {
      // Model info stays public; the files need a token whose account accepted the licence.
      if (token.isEmpty()) {
        return error(
            exchange,
            401,
            "GatedRepo",
            "Access to model "
                + repoId
                + " is restricted. You must have access to it and be authenticated to access it."
                + " Please log in.");
      }
      if (!accepted.get(token.get()).contains(repoId)) {
        return error(
            exchange,
            403,
            "GatedRepo",
            "Access to model "
                + repoId
                + " is restricted and you are not in the authorized list. Visit"
                + " https://huggingface.co/"
                + repoId
                + " to ask for access.");
      }
    }
    String commit = commitOf(repo, revision);
    if (commit == null) {
      return error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
    }
    return isApi
        ? modelInfo(exchange, repoId, repo, commit)
        : resolve(exchange, repo, commit, decode(resolve.group(3)));
  }

  private int modelInfo(HttpExchange exchange, String repoId, Repo repo, String commit)
      throws IOException {
    boolean blobsWanted = "blobs=true".equals(exchange.getRequestURI().getRawQuery());
    List<Object> siblings = new ArrayList<>();
    for (StandInFile file : repo.commits.get(commit)) {
      Map<String, Object> sibling = new LinkedHashMap<>();
      sibling.put("rfilename", file.path());
      if (blobsWanted) {
        sibling.put(
            "blobId", file.lfs() ? sha1("pointer " + file.path()) : file.content().gitOid());
        sibling.put("size", file.content().size());
        if (file.lfs()) {
          sibling.put(
              "lfs",
              Map.of(
                  "sha256", file.content().sha256(),
                  "size", file.content().size(),
                  "pointerSize", 134));
        }
      }
      siblings.add(sibling);
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("_id", sha1(repoId).substring(0, 24));
    info.put("id", repoId);
    info.put("modelId", repoId);
    info.put("private", false);
    info.put("gated", repo.gated ? "manual" : false);
    info.put("sha", commit);
    info.put("siblings", siblings);
    return json(exchange, 200, JsonText.write(info));
  }

  private int resolve(HttpExchange exchange, Repo repo, String commit, String filePath)
      throws IOException {
    Optional<StandInFile> file =
        repo.commits.get(commit).stream().filter(f -> f.path().equals(filePath)).findFirst();
    if (file.isEmpty()) {
      return error(exchange, 404, "EntryNotFound", "Entry not found");
    }
    Headers headers = exchange.getResponseHeaders();
    headers.set("X-Repo-Commit", commit);
    Content content = file.get().content();
    if (file.get().lfs()) {
      headers.set("X-Linked-Etag", "\"" + content.sha256() + "\"");
      headers.set("X-Linked-Size", String.valueOf(content.size()));
      headers.set("ETag", "\"" + sha1("pointer " + filePath) + "\"");
      return redirect(exchange, 302, signedUrl(content.sha256()));
    }
    headers.set("ETag", "\"" + content.gitOid() + "\"");
    return body(exchange, filePath, content, false);
  }

  private String signedUrl(String sha256) {
    long expires = System.currentTimeMillis() / 1000 + 3600;
    return "http://127.0.0.1:"
        + files.getAddress().getPort()
        + "/lfs/"
        + sha256
        + "?Expires="
        + expires
        + "&Signature="
        + sha1(secret + sha256 + expires);
  }

  private void onFiles(HttpExchange exchange) throws IOException {
    int status = -1;
    active.incrementAndGet();
    maxActiveFiles.accumulateAndGet(activeFiles.incrementAndGet(), Math::max);
    arrived.add(served("files", exchange, 0));
    try (exchange) {
      status = answerFiles(exchange);
    } finally {
      record("files", exchange, status);
      activeFiles.decrementAndGet();
      active.decrementAndGet();
    }
  }

  private int answerFiles(HttpExchange exchange) throws IOException {
    Matcher matcher = FILE.matcher(exchange.getRequestURI().getRawPath());
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (!matcher.matches() || !blobs.containsKey(matcher.group(1))) {
      return plain(exchange, 404, "NoSuchKey");
    }
    String sha = matcher.group(1);
    String expires = query.getOrDefault("Expires", "0");
    boolean signed = sha1(secret + sha + expires).equals(query.get("Signature"));
    if (!signed || faults.expiredNow()) {
      return plain(exchange, 403, "<Error><Code>AccessDenied</Code>Request has expired</Error>");
    }
    Content content = blobs.get(sha);
    String pathOfBlob = pathOf(sha);
    return body(exchange, pathOfBlob, content, true);
  }

  /** The repo path of a blob, for faults named by path. */
  private String pathOf(String sha) {
    for (Repo repo : repos.values()) {
      for (List<StandInFile> commit : repo.commits.values()) {
        for (StandInFile file : commit) {
          if (file.lfs() && file.content().sha256().equals(sha)) {
            return file.path();
          }
        }
      }
    }
    return sha;
  }

  /** Serves content, honouring Range and the faults; {@code throttled} on the file host. */
  private int body(HttpExchange exchange, String path, Content content, boolean throttled)
      throws IOException {
    long size = content.size();
    long from = 0;
    long to = size - 1;
    int status = 200;
    String range = exchange.getRequestHeaders().getFirst("Range");
    if (range != null && !faults.ignoresRange()) {
      Matcher m = RANGE.matcher(range.strip());
      if (!m.matches() || Long.parseLong(m.group(1)) >= size) {
        exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
        return plain(exchange, 416, "Requested Range Not Satisfiable");
      }
      from = Long.parseLong(m.group(1));
      to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
      status = 206;
      exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
    }
    exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    long length = to - from + 1;
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", String.valueOf(length));
      exchange.sendResponseHeaders(status, -1);
      return status;
    }
    long cut = exchange.getRequestMethod().equals("GET") ? faults.cutAfter(path) : -1;
    boolean corrupt = faults.corrupts(path);
    exchange.sendResponseHeaders(status, length);
    sending.set(status);
    stream(exchange.getResponseBody(), content, from, length, cut, corrupt, throttled);
    return status;
  }

  private void stream(
      OutputStream out,
      Content content,
      long from,
      long length,
      long cut,
      boolean corrupt,
      boolean throttled)
      throws IOException {
    byte[] buffer = new byte[CHUNK];
    long sent = 0;
    long rate = throttled ? faults.bytesPerSecond() : 0;
    long started = System.nanoTime();
    while (sent < length) {
      int n = content.read(from + sent, buffer, (int) Math.min(CHUNK, length - sent));
      if (corrupt && sent == 0) {
        buffer[0] ^= 0x5a;
      }
      if (cut >= 0 && sent + n > cut) {
        out.write(buffer, 0, (int) (cut - sent));
        out.flush();
        throw new IOException("stand-in: connection cut after " + cut + " bytes");
      }
      out.write(buffer, 0, n);
      sent += n;
      if (rate > 0) {
        pace(started, sent, rate);
      }
    }
  }

  /** Holds the sender back to {@code rate} bytes a second: the stand-in of a slow link. */
  private static void pace(long started, long sent, long rate) throws IOException {
    long due = started + (long) (sent * 1e9 / rate);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("stand-in stopped", e);
      }
    }
  }

  private String commitOf(Repo repo, String revision) {
    String branch = repo.branches.get(revision);
    if (branch != null) {
      return branch;
    }
    return repo.commits.containsKey(revision) ? revision : null;
  }

  private static Optional<String> bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return Optional.empty();
    }
    return Optional.of(header.substring("Bearer ".length()).strip());
  }

  private static int error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    if (!code.isEmpty()) {
      exchange.getResponseHeaders().set("X-Error-Code", code);
    }
    exchange.getResponseHeaders().set("X-Error-Message", message);
    return json(exchange, status, JsonText.write(Map.of("error", message)));
  }

  private static int rename(HttpExchange exchange, String path, String from, String to)
      throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    return redirect(exchange, 307, path.replace(from, to) + (query == null ? "" : "?" + query));
  }

  private static int redirect(HttpExchange exchange, int status, String location)
      throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(status, -1);
    return status;
  }

  private static int json(HttpExchange exchange, int status, String json) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    return send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
  }

  private static int plain(HttpExchange exchange, int status, String text) throws IOException {
    return send(exchange, status, text.getBytes(StandardCharsets.UTF_8));
  }

  private static int send(HttpExchange exchange, int status, byte[] body) throws IOException {
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return status;
    }
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    return status;
  }

  private void record(String host, HttpExchange exchange, int answered) {
    int status = answered != -1 ? answered : sending.get();
    sending.remove();
    served.add(served(host, exchange, status));
  }

  private static Served served(String host, HttpExchange exchange, int status) {
    String range = exchange.getRequestHeaders().getFirst("Range");
    return new Served(
        host,
        exchange.getRequestMethod(),
        decode(exchange.getRequestURI().getRawPath()),
        range == null ? "" : range,
        exchange.getRequestHeaders().containsKey("Authorization"),
        status);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(pair.substring(0, eq), decode(pair.substring(eq + 1)));
        }
      }
    }
    return query;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    hub.stop(0);
    files.stop(0);
    executor.shutdownNow();
  }
}
