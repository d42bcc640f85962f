package io.fluxops.loader.bench;

import io.fluxops.loader.cache.CacheLayout;
import io.fluxops.loader.standin.Content;
import io.fluxops.loader.standin.Served;
import io.fluxops.loader.standin.StandInFile;
import io.fluxops.loader.standin.StandInHub;
import io.fluxops.loader.support.LoaderProcess;
import io.fluxops.loader.support.TestLoads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The loader's benchmark: the packaged jar with its image's JVM flags, against the stand-in Hub on
 * loopback. It measures the throughput of a cold load (MB/s, every byte hashed and synced), the
 * loader's peak resident memory, the time a run killed halfway takes to resume (to its first new
 * byte, and to the end), and a run over a revision already complete.
 *
 * <p>{@code ./mvnw -B -q -pl loader -am package -DskipTests -Ploader-benchmark} (flags: {@code
 * -Dbench.mb=2000}, {@code -Dbench.layout=single}, {@code -Dbench.connectionMBps=50}, {@code
 * -Dbench.runs=3}, {@code -Dbench.parallel=4}, and {@code -Dfluxops.jvmFlags="..."} to try other
 * JVM flags).
 */
public final class LoaderBenchmark {
  private static final String REPO = "black-forest-labs/FLUX.1-dev";

  private LoaderBenchmark() {}

  public static void main(String[] args) throws Exception {
    long totalMb = Long.getLong("bench.mb", 2000);
    int runs = Integer.getInteger("bench.runs", 3);
    String parallel = System.getProperty("bench.parallel", "4");
    Path work = Files.createDirectories(Path.of("loader/target/bench").toAbsolutePath());
    System.out.println("JVM flags: " + String.join(" ", LoaderProcess.jvmFlags()));
    boolean single = System.getProperty("bench.layout", "flux").equals("single");
    long perConnection = Long.getLong("bench.connectionMBps", 0) * 1_000_000;
    System.out.printf(
        Locale.ROOT,
        "repo: %d MB in %s; %s connections, %s-byte segments; file host %s%n",
        totalMb,
        single
            ? "2 files (98 % in one: BFL's single-file layout)"
            : "6 files (60/25/10/4 % LFS + 2 small)",
        parallel,
        System.getProperty("bench.segment", "268435456"),
        perConnection > 0
            ? "capped at " + perConnection / 1_000_000 + " MB/s per connection"
            : "uncapped");
    try (StandInHub hub = StandInHub.start()) {
      hub.faults().bytesPerSecond(perConnection);
      List<StandInFile> files = files(totalMb * 1_000_000);
      String commit = hub.commit(REPO, "main", files);
      files.forEach(f -> f.content().sha256()); // hashed before timing, as the Hub stores them
      for (int run = 1; run <= runs; run++) {
        Path cache = fresh(work.resolve("cache"));
        cold(hub, cache, parallel, run);
        complete(hub, cache, parallel);
        resume(hub, fresh(work.resolve("cache")), parallel, files, commit);
      }
      deleteTree(work.resolve("cache"));
    }
  }

  private static void cold(StandInHub hub, Path cache, String parallel, int run) throws Exception {
    Measured m = measure(hub, cache, parallel, "cold-" + run);
    System.out.printf(
        Locale.ROOT,
        "cold load    %6.0f MB/s  %5.1f s  peak RSS %4d MiB (exit %d)%n",
        m.megabytes() / m.seconds(),
        m.seconds(),
        m.peakRssKb() / 1024,
        m.exit());
  }

  private static void complete(StandInHub hub, Path cache, String parallel) throws Exception {
    hub.clearServed();
    Measured m = measure(hub, cache, parallel, "complete");
    System.out.printf(
        Locale.ROOT,
        "already done %6s       %5.2f s  peak RSS %4d MiB, %d requests to the Hub%n",
        "",
        m.seconds(),
        m.peakRssKb() / 1024,
        hub.served().size());
  }

  private static void resume(
      StandInHub hub, Path cache, String parallel, List<StandInFile> files, String commit)
      throws Exception {
    // Kill the first load when half of the bytes are on the claim, as a node drain would.
    long half = files.stream().mapToLong(f -> f.content().size()).sum() / 2;
    try (LoaderProcess loader =
        LoaderProcess.start(env(hub, cache, parallel), cache.resolveSibling("kill.log"))) {
      while (bytesOnClaim(cache) < half && loader.process().isAlive()) {
        Thread.sleep(20);
      }
      loader.kill();
    }
    long kept = bytesOnClaim(cache);
    hub.clearServed();
    hub.faults().bytesPerSecond(Long.getLong("bench.connectionMBps", 0) * 1_000_000);
    long start = System.nanoTime();
    int exit;
    double firstByte = -1;
    try (LoaderProcess loader =
        LoaderProcess.start(env(hub, cache, parallel), cache.resolveSibling("resume.log"))) {
      while (loader.process().isAlive()) {
        if (firstByte < 0 && hub.arrived().stream().anyMatch(LoaderBenchmark::resumedRange)) {
          firstByte = (System.nanoTime() - start) / 1e9;
        }
        Thread.sleep(5);
      }
      exit = loader.waitFor(Duration.ofMinutes(30));
    }
    double total = (System.nanoTime() - start) / 1e9;
    boolean complete = Files.exists(new CacheLayout(cache, REPO).completionRecord(commit));
    System.out.printf(
        Locale.ROOT,
        "resume       %.0f MB kept: first new byte after %.2f s, complete after %.1f s (exit %d,"
            + " record %s)%n",
        kept / 1e6,
        firstByte,
        total,
        exit,
        complete ? "written" : "MISSING");
  }

  private static boolean resumedRange(Served s) {
    return s.host().equals("files") && !s.range().startsWith("bytes=0-");
  }

  private record Measured(double seconds, double megabytes, long peakRssKb, int exit) {}

  private static Measured measure(StandInHub hub, Path cache, String parallel, String name)
      throws Exception {
    long start = System.nanoTime();
    long peak = 0;
    int exit;
    try (LoaderProcess loader =
        LoaderProcess.start(env(hub, cache, parallel), cache.resolveSibling(name + ".log"))) {
      Path status = Path.of("/proc", String.valueOf(loader.pid()), "status");
      while (loader.process().isAlive()) {
        peak = Math.max(peak, highWaterMarkKb(status));
        Thread.sleep(10);
      }
      exit = loader.waitFor(Duration.ofMinutes(30));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Measured(seconds, bytesOnClaim(cache) / 1e6, peak, exit);
  }

  private static Map<String, String> env(StandInHub hub, Path cache, String parallel) {
    return TestLoads.of(hub, cache, REPO)
        .set("FLUXOPS_CONNECTIONS", parallel)
        .set("FLUXOPS_SEGMENT_BYTES", System.getProperty("bench.segment", "268435456"))
        .set("FLUXOPS_TERMINATION_LOG", "")
        .env();
  }

  /** VmHWM, the peak resident set the kernel saw: no peak between samples is missed. */
  private static long highWaterMarkKb(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process just exited
    }
    return 0;
  }

  private static List<StandInFile> files(long total) {
    if (System.getProperty("bench.layout", "flux").equals("single")) {
      // BFL's single-file layout: the checkpoint and the autoencoder, as FluxOps loads by default.
      return List.of(
          StandInFile.lfs("flux1-dev.safetensors", Content.generated(1, total * 98 / 100)),
          StandInFile.lfs("ae.safetensors", Content.generated(4, total * 2 / 100)));
    }
    return List.of(
        StandInFile.git("model_index.json", "{\"_class_name\": \"FluxPipeline\"}\n"),
        StandInFile.git("transformer/config.json", "{\"num_layers\": 19}\n"),
        StandInFile.lfs("flux1-dev.safetensors", Content.generated(1, total * 60 / 100)),
        StandInFile.lfs("text_encoder_2/model.safetensors", Content.generated(2, total * 25 / 100)),
        StandInFile.lfs("transformer/shard.safetensors", Content.generated(3, total * 10 / 100)),
        StandInFile.lfs("ae.safetensors", Content.generated(4, total * 4 / 100)));
  }

  private static long bytesOnClaim(Path cache) throws IOException {
    Path blobs = cache.resolve(new CacheLayout(cache, REPO).repoFolderName()).resolve("blobs");
    if (!Files.isDirectory(blobs)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(blobs)) {
      return files.mapToLong(LoaderBenchmark::size).sum();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static Path fresh(Path dir) throws IOException {
    deleteTree(dir);
    return Files.createDirectories(dir);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
