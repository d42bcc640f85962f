package io.fluxops.metering.bench;

import static org.awaitility.Awaitility.await;

import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.JvmFlags;
import io.fluxops.metering.support.LocalClient;
import io.fluxops.metering.support.SidecarProcess;
import io.fluxops.metering.support.TestConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the packaged sidecar, run exactly as the container runs it (same JVM flags), against the
 * BFL stand-in answering in 10–50 ms like BFL's endpoint: start time, local POST latency at a fixed
 * 200 requests/s after a warm-up (measured from each request's scheduled time, so queueing counts),
 * CPU per request, accepted requests/s under concurrency, resident memory, and BFL's reference
 * pattern (one blocking call to BFL per image) for comparison. Clients are blocking keep-alive
 * connections, like an inference server's HTTP session. Prints a Markdown report.
 *
 * <p>Run from the repository root: {@code ./mvnw -B -q -pl metering package exec:java -DskipTests}.
 */
public final class SidecarBenchmark {
  private static final int STARTS = 5;
  private static final int RATE_PER_SECOND = 200;

  /** Until C1 has compiled the request path: latency is measured in the steady state. */
  private static final Duration WARM_UP = Duration.ofSeconds(10);

  private static final Duration RATE_DURATION =
      Duration.ofSeconds(Long.getLong("bench.rateSeconds", 30));
  private static final Duration THROUGHPUT_DURATION =
      Duration.ofSeconds(Long.getLong("bench.throughputSeconds", 10));
  private static final int REFERENCE_IMAGES = 200;
  private static final String USAGE_PATH = "/v1/licenses/models/flux-1-dev/usage";

  /** USER_HZ: Linux reports process CPU times in 1/100 s on every common architecture. */
  private static final double CLOCK_TICKS = 100.0;

  private final Path work;
  private final BflStandIn bfl;
  private final TlsFixture tls;
  private final StringBuilder report = new StringBuilder();

  private SidecarBenchmark(Path work, BflStandIn bfl, TlsFixture tls) {
    this.work = work;
    this.bfl = bfl;
    this.tls = tls;
  }

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("fluxops-metering-bench");
    SplittableRandom random = new SplittableRandom(2026);
    try {
      // HTTPS as BFL's endpoint: the sidecar's figures include its TLS stack and trust store.
      TlsFixture tls = TlsFixture.create(work);
      try (BflStandIn bfl = BflStandIn.startTls(tls.serverContext(), TestConfig.KEY)) {
        bfl.latency(() -> Duration.ofMillis(10 + next(random, 41)));
        new SidecarBenchmark(work, bfl, tls).run();
      }
    } finally {
      deleteTree(work);
    }
    System.exit(0);
  }

  private void run() throws Exception {
    line("JVM flags (from metering/pom.xml): `" + String.join(" ", JvmFlags.fromPom()) + "`");
    line(
        "Java: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.version")
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs; load average at the start: "
            + Files.readString(Path.of("/proc/loadavg")).strip());
    line("");
    startTimes();
    try (SidecarProcess sidecar =
        SidecarProcess.start(env("load"), work.resolve("load.log"), tls.sidecarFlags())) {
      long idleRss = procStatus(sidecar.pid(), "VmRSS");
      URI usage = URI.create("http://127.0.0.1:" + sidecar.usagePort());
      AtomicLong accepted = new AtomicLong();
      LocalClient local = sidecar.client();
      fixedRate(usage, WARM_UP, accepted, false);
      Map<String, Double> before = serverBuckets(local);
      long[] cpuBefore = cpuTicks(sidecar.pid());
      fixedRate(usage, RATE_DURATION, accepted, true);
      long[] cpuAfter = cpuTicks(sidecar.pid());
      serverSide(before, serverBuckets(local));
      cpu(cpuAfter[0] - cpuBefore[0], cpuAfter[1] - cpuBefore[1]);
      long steadyRss = procStatus(sidecar.pid(), "VmRSS");
      line("");
      Map<Integer, Long> rssAfter = new java.util.LinkedHashMap<>();
      // 512: far more than the usage server's 64 connections; the rest are closed on accept.
      for (int clients : new int[] {1, 8, 32, 512}) {
        throughput(usage, clients, accepted);
        rssAfter.put(clients, procStatus(sidecar.pid(), "VmRSS"));
      }
      long rss = procStatus(sidecar.pid(), "VmRSS");
      long peak = procStatus(sidecar.pid(), "VmHWM");
      long threads = procStatus(sidecar.pid(), "Threads");
      long hold = Long.getLong("bench.holdSeconds", 0);
      if (hold > 0) {
        // For a look with jcmd or pmap before the sidecar stops.
        System.out.println("sidecar pid " + sidecar.pid() + ", holding " + hold + " s");
        TimeUnit.SECONDS.sleep(hold);
      }
      LocalClient client = sidecar.client();
      await().atMost(Duration.ofMinutes(2)).until(() -> client.statusNumber("pending") == 0);
      line("");
      line("| memory | KiB | MiB |");
      line("|---|---|---|");
      line(String.format("| RSS after start, idle | %d | %.1f |", idleRss, idleRss / 1024.0));
      line(
          String.format(
              "| RSS after %d requests/s over HTTPS reports | %d | %.1f |",
              RATE_PER_SECOND, steadyRss, steadyRss / 1024.0));
      for (Map.Entry<Integer, Long> phase : rssAfter.entrySet()) {
        line(
            String.format(
                "| RSS after %d concurrent clients | %d | %.1f |",
                phase.getKey(), phase.getValue(), phase.getValue() / 1024.0));
      }
      line(String.format("| peak RSS (VmHWM) | %d | %.1f |", peak, peak / 1024.0));
      line("");
      line("Threads in the sidecar after the load: " + threads + ".");
      line("");
      line(
          "Exactness after the run: clients got 200 for "
              + accepted.get()
              + " images; the sidecar accepted "
              + client.statusNumber("accepted")
              + "; the BFL stand-in recorded "
              + bfl.recorded()
              + " in "
              + bfl.batches().size()
              + " reports; possiblyDuplicated = "
              + client.statusNumber("possiblyDuplicated")
              + ".");
      sidecar.terminate(Duration.ofSeconds(30));
    }
    reference();
    System.out.println(report);
  }

  /** Launch to listening, as the sidecar measures it, and launch to the first 200 on /readyz. */
  private void startTimes() throws Exception {
    long[] self = new long[STARTS];
    long[] ready = new long[STARTS];
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < STARTS; i++) {
      int port = freePort();
      URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
      Map<String, String> env = new HashMap<>(env("start-" + i));
      env.put("FLUXOPS_LISTEN_PORT", String.valueOf(port));
      long launched = System.nanoTime();
      try (SidecarProcess sidecar =
          SidecarProcess.launch(env, work.resolve("start-" + i + ".log"), tls.sidecarFlags())) {
        await()
            .atMost(Duration.ofSeconds(20))
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(2))
            .ignoreExceptions()
            .until(
                () ->
                    http.send(
                                HttpRequest.newBuilder(readyz).build(),
                                HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                        == 200);
        ready[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
        await().atMost(Duration.ofSeconds(5)).until(sidecar::isListening);
        self[i] = sidecar.startMillis();
        sidecar.terminate(Duration.ofSeconds(10));
      }
    }
    Arrays.sort(self);
    Arrays.sort(ready);
    line("| start time (" + STARTS + " starts) | median | max |");
    line("|---|---|---|");
    line(
        "| JVM start to listening (the sidecar's own log line) | "
            + self[STARTS / 2]
            + " ms | "
            + self[STARTS - 1]
            + " ms |");
    line(
        "| `java` spawned to first 200 on /readyz (measured outside) | "
            + ready[STARTS / 2]
            + " ms | "
            + ready[STARTS - 1]
            + " ms |");
    line("");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Open loop: request i is due at start + i/rate; latency counts from when it was due. */
  private void fixedRate(URI usage, Duration duration, AtomicLong accepted, boolean record)
      throws Exception {
    int total = (int) (duration.toSeconds() * RATE_PER_SECOND);
    long[] latency = new long[total];
    long[] service = new long[total];
    AtomicLong failures = new AtomicLong();
    ExecutorService senders = Executors.newFixedThreadPool(32);
    // One kept-alive connection per sender thread, as a pool of blocking clients would hold.
    List<BlockingHttpClient> connections = new java.util.concurrent.CopyOnWriteArrayList<>();
    ThreadLocal<BlockingHttpClient> http =
        ThreadLocal.withInitial(
            () -> {
              BlockingHttpClient client = new BlockingHttpClient(usage);
              connections.add(client);
              return client;
            });
    long interval = TimeUnit.SECONDS.toNanos(1) / RATE_PER_SECOND;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    List<Future<?>> sent = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int index = i;
      sent.add(
          senders.submit(
              () -> {
                long begun = System.nanoTime();
                if (post(http.get(), 1, null)) {
                  accepted.incrementAndGet();
                } else {
                  failures.incrementAndGet();
                }
                long end = System.nanoTime();
                latency[index] = end - due;
                service[index] = end - begun;
              }));
    }
    for (Future<?> future : sent) {
      future.get();
    }
    senders.shutdown();
    connections.forEach(BlockingHttpClient::close);
    if (record) {
      line(
          "Local POST at a fixed "
              + RATE_PER_SECOND
              + " requests/s for "
              + duration.toSeconds()
              + " s ("
              + total
              + " requests, "
              + failures.get()
              + " failed), each answered after its fsync:");
      line("");
      line("| latency | p50 | p90 | p99 | p99.9 | max |");
      line("|---|---|---|---|---|---|");
      line("| from scheduled send (includes queueing) | " + percentiles(latency) + " |");
      line("| service time (send to answer) | " + percentiles(service) + " |");
      line("");
    }
  }

  /** The server's own request-duration histogram: {@code le} to cumulative count. */
  private static Map<String, Double> serverBuckets(LocalClient client) throws Exception {
    Map<String, Double> buckets = new java.util.TreeMap<>();
    for (String line : client.get("/metrics").body().split("\n")) {
      if (line.startsWith("fluxops_metering_request_duration_seconds_bucket")) {
        String le = line.replaceAll(".*le=\"([^\"]+)\".*", "$1");
        buckets.put(le, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return buckets;
  }

  /** What share of the fixed-rate phase's POSTs the server answered within each bound. */
  private void serverSide(Map<String, Double> before, Map<String, Double> after) {
    double total = after.get("+Inf") - before.get("+Inf");
    StringBuilder shares = new StringBuilder();
    for (String le : List.of("0.001", "0.002", "0.005", "0.01")) {
      double within = after.get(le) - before.get(le);
      shares.append(
          String.format(
              "%s%.2f %% within %.0f ms",
              shares.length() == 0 ? "" : ", ",
              100 * within / total,
              Double.parseDouble(le) * 1000));
    }
    line(
        "Server side, from `fluxops_metering_request_duration_seconds` (handler start to answer,"
            + " fsync included): "
            + shares
            + ".");
    line("");
  }

  /** Closed loop: {@code clients} threads post as fast as answers come back. */
  private void throughput(URI usage, int clients, AtomicLong accepted) throws Exception {
    if (clients == 1) {
      line("| concurrent clients | accepted requests/s | p50 | p99 | refused or failed |");
      line("|---|---|---|---|---|");
    }
    AtomicLong failed = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + THROUGHPUT_DURATION.toNanos();
    List<Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      results.add(
          pool.submit(
              () -> {
                long[] samples = new long[clients > 32 ? 1 << 14 : 1 << 20];
                int n = 0;
                try (BlockingHttpClient http = new BlockingHttpClient(usage)) {
                  while (System.nanoTime() < end && n < samples.length) {
                    long begun = System.nanoTime();
                    if (post(http, 1, null)) {
                      accepted.incrementAndGet();
                      samples[n++] = System.nanoTime() - begun;
                    } else {
                      // Refused (over the connection limit): try again shortly, as a client would.
                      failed.incrementAndGet();
                      TimeUnit.MILLISECONDS.sleep(10);
                    }
                  }
                }
                return Arrays.copyOf(samples, n);
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<long[]> result : results) {
      for (long sample : result.get()) {
        all.add(sample);
      }
    }
    pool.shutdown();
    long[] samples = all.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(samples);
    double perSecond = samples.length / (double) THROUGHPUT_DURATION.toSeconds();
    line(
        String.format(
            "| %d | %.0f | %s | %s | %d |",
            clients, perSecond, millis(samples, 0.50), millis(samples, 0.99), failed.get()));
  }

  /** BFL's reference code: one synchronous call to BFL per image, before the image is delivered. */
  private void reference() throws Exception {
    long[] blocked = new long[REFERENCE_IMAGES];
    long started = System.nanoTime();
    try (BlockingHttpClient http =
        new BlockingHttpClient(bfl.endpoint(), tls.clientContext().getSocketFactory())) {
      for (int i = 0; i < REFERENCE_IMAGES; i++) {
        long begun = System.nanoTime();
        post(http, 1, TestConfig.KEY);
        blocked[i] = System.nanoTime() - begun;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Arrays.sort(blocked);
    line("");
    line(
        "BFL's reference pattern (`track_usage_via_api`: one blocking POST per image) against the"
            + " stand-in answering in 10–50 ms, "
            + REFERENCE_IMAGES
            + " images from one thread:");
    line("");
    line("| | p50 | p99 | images/s per thread |");
    line("|---|---|---|---|");
    line(
        String.format(
            "| blocking call to BFL per image | %s | %s | %.0f |",
            millis(blocked, 0.5), millis(blocked, 0.99), REFERENCE_IMAGES / seconds));
  }

  private static boolean post(BlockingHttpClient http, long images, String key) {
    try {
      return http.post(USAGE_PATH, "{\"number_of_generations\": " + images + "}", key) == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private Map<String, String> env(String name) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    // Production defaults for timing (5 s batches, 10 s report timeout): only paths differ.
    return TestConfig.in(dir, bfl.endpoint())
        .with("FLUXOPS_BATCH_INTERVAL_SECONDS", "5")
        .with("FLUXOPS_REPORT_TIMEOUT_SECONDS", "10")
        .with("FLUXOPS_RETRY_MAX_BACKOFF_SECONDS", "60")
        .with("FLUXOPS_SHUTDOWN_TIMEOUT_SECONDS", "25")
        .env();
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private void cpu(long user, long system) {
    double requests = RATE_PER_SECOND * RATE_DURATION.toSeconds();
    line(
        String.format(
            "CPU used by the sidecar at %d requests/s: %.1f %% of one core, %.0f µs per request"
                + " (%.0f µs in the JVM, %.0f µs in the kernel: sockets and fdatasync).",
            RATE_PER_SECOND,
            100.0 * (user + system) / CLOCK_TICKS / RATE_DURATION.toSeconds(),
            1e6 * (user + system) / CLOCK_TICKS / requests,
            1e6 * user / CLOCK_TICKS / requests,
            1e6 * system / CLOCK_TICKS / requests));
  }

  /** User and system CPU time of a process, in clock ticks, from /proc/<pid>/stat. */
  private static long[] cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
  }

  /** A number from /proc/<pid>/status (VmRSS and VmHWM are in KiB). */
  private static long procStatus(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException(field + " not in /proc/" + pid + "/status");
  }

  private static String percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.join(
        " | ",
        millis(sorted, 0.5),
        millis(sorted, 0.9),
        millis(sorted, 0.99),
        millis(sorted, 0.999),
        millis(sorted, 1.0));
  }

  private static String millis(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return "-";
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return String.format("%.2f ms", sorted[Math.max(0, index)] / 1e6);
  }

  private static int next(SplittableRandom random, int bound) {
    synchronized (random) {
      return random.nextInt(bound);
    }
  }

  private void line(String text) {
    report.append(text).append('\n');
  }
}
