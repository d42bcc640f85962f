package io.fluxops.loader.download;

import io.fluxops.common.ByteSizes;
import io.fluxops.loader.cache.AtomicFiles;
import io.fluxops.loader.cache.CacheLayout;
import io.fluxops.loader.cache.CompletionRecord;
import io.fluxops.loader.config.LoaderConfig;
import io.fluxops.loader.hub.HubClient;
import io.fluxops.loader.hub.RepoFile;
import io.fluxops.loader.hub.RepoListing;
import io.fluxops.loader.outcome.LoadFailure;
import io.fluxops.loader.outcome.Reason;
import io.fluxops.loader.status.Progress;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One load of a revision into the cache: resolve it to a commit, select the files, check the space,
 * download what is missing (several files at once, largest first), link the snapshot, then record
 * the commit complete and write the ref. Each step is safe to interrupt: a new run picks up what
 * the last one finished and resumes what it had begun.
 *
 * <p>A branch or tag is resolved once: when {@code refs/{revision}} exists, its commit is the one
 * loaded, so an unchanged revision is never downloaded again, even after the branch moved. To take
 * a newer commit, name it (or a new tag).
 */
public final class SnapshotLoad {
  private static final System.Logger LOG = System.getLogger(SnapshotLoad.class.getName());
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  /**
   * What a load did.
   *
   * @param alreadyComplete whether the cache held the revision before this run (nothing fetched)
   */
  public record Result(
      String commit, Path snapshot, long bytes, int files, boolean alreadyComplete) {}

  private final LoaderConfig config;
  private final HubClient hub;
  private final Progress progress;
  private final CacheLayout layout;
  private final FilePatterns patterns;

  public SnapshotLoad(LoaderConfig config, HubClient hub, Progress progress) {
    this.config = config;
    this.hub = hub;
    this.progress = progress;
    this.layout = new CacheLayout(config.cacheDir(), config.repo());
    this.patterns = new FilePatterns(config.include());
  }

  public Result run() throws LoadFailure, InterruptedException {
    Path lockFile = layout.lockFile();
    try {
      Files.createDirectories(lockFile.getParent());
    } catch (IOException e) {
      throw storage(e, "creating " + lockFile.getParent());
    }
    try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lock(channel)) {
      return locked();
    } catch (IOException e) {
      throw storage(e, "locking " + lockFile);
    }
  }

  private FileLock lock(FileChannel channel) throws IOException {
    FileLock lock = channel.tryLock();
    if (lock == null) {
      LOG.log(Level.INFO, "another loader is filling " + layout.repoDir() + "; waiting for it");
      lock = channel.lock();
    }
    return lock;
  }

  private Result locked() throws LoadFailure, InterruptedException {
    Optional<String> known = knownCommit();
    Optional<CompletionRecord> record = known.flatMap(c -> CompletionRecord.read(layout, c));
    if (record.isPresent()) {
      List<RepoFile> selected = patterns.select(record.get().listing());
      if (!selected.isEmpty() && record.get().covers(selected) && linked(record.get(), selected)) {
        return finish(record.get().commit(), selected, true);
      }
    }
    RepoListing listing = hub.listing(known.orElse(config.revision()));
    String commit = listing.commit();
    List<RepoFile> selected = patterns.select(listing.files());
    if (selected.isEmpty()) {
      throw noMatch(listing);
    }
    long total = selected.stream().mapToLong(RepoFile::size).sum();
    progress.resolved(commit, total, selected.size());
    LOG.log(
        Level.INFO,
        config.repo()
            + " at "
            + config.revision()
            + " is commit "
            + commit
            + ": "
            + selected.size()
            + " files, "
            + ByteSizes.show(total));
    checkSpace(selected, total);
    progress.downloading();
    Map<String, String> etags = download(commit, selected);
    link(commit, selected, etags);
    CompletionRecord done =
        CompletionRecord.read(layout, commit)
            .orElse(new CompletionRecord(config.repo(), commit, listing.files(), Map.of()))
            .plus(etags);
    try {
      done.write(layout);
      if (!config.revision().equals(commit)) {
        AtomicFiles.write(
            layout.ref(config.revision()), commit.getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      throw storage(e, "recording " + commit + " complete");
    }
    return finish(commit, selected, false);
  }

  private Result finish(String commit, List<RepoFile> selected, boolean already) {
    long total = selected.stream().mapToLong(RepoFile::size).sum();
    progress.resolved(commit, total, selected.size());
    progress.complete();
    return new Result(commit, layout.snapshotDir(commit), total, selected.size(), already);
  }

  /** The commit this revision already stands for here: itself, or what its ref recorded. */
  private Optional<String> knownCommit() {
    if (COMMIT.matcher(config.revision()).matches()) {
      return Optional.of(config.revision());
    }
    try {
      String ref = Files.readString(layout.ref(config.revision()), StandardCharsets.US_ASCII);
      return Optional.of(ref.strip()).filter(c -> COMMIT.matcher(c).matches());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Whether every selected file is in the snapshot with its size (links followed). */
  private boolean linked(CompletionRecord record, List<RepoFile> selected) {
    for (RepoFile file : selected) {
      Path path = layout.snapshotFile(record.commit(), file.path());
      try {
        if (!Files.isRegularFile(path) || Files.size(path) != file.size()) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private LoadFailure noMatch(RepoListing listing) {
    List<String> names = listing.files().stream().map(RepoFile::path).limit(12).toList();
    return new LoadFailure(
        Reason.NO_MATCHING_FILES,
        "no file of "
            + config.repo()
            + " at "
            + config.revision()
            + " matches include "
            + config.include()
            + "; it has "
            + listing.files().size()
            + " files, such as "
            + names
            + ": correct spec.modelCache.source.huggingface.include");
  }

  private void checkSpace(List<RepoFile> selected, long total) throws LoadFailure {
    long needed = 0;
    for (RepoFile file : selected) {
      Optional<String> etag = file.expectedEtag();
      if (etag.isPresent() && sizeOf(layout.blob(etag.get())) == file.size()) {
        continue;
      }
      long partial = etag.map(e -> sizeOf(layout.incomplete(e))).orElse(0L);
      needed += file.size() - Math.max(0, Math.min(partial, file.size()));
    }
    long usable;
    try {
      usable = Files.getFileStore(config.cacheDir()).getUsableSpace();
    } catch (IOException e) {
      throw storage(e, "reading the free space");
    }
    Optional<LoadFailure> full = SpaceCheck.check(needed, usable, total, config.describeVolume());
    if (full.isPresent()) {
      throw full.get();
    }
  }

  private Map<String, String> download(String commit, List<RepoFile> selected)
      throws LoadFailure, InterruptedException {
    // Two paths with the same content are one blob: fetch it once.
    Map<String, RepoFile> byBlob = new LinkedHashMap<>();
    for (RepoFile file : selected) {
      byBlob.putIfAbsent(file.expectedEtag().orElse("path:" + file.path()), file);
    }
    List<RepoFile> largestFirst = new ArrayList<>(byBlob.values());
    largestFirst.sort(Comparator.comparingLong(RepoFile::size).reversed());
    // Connections carry the segments; each file in progress has a thread that hashes it. As many
    // files are in progress as there are connections, so that the segments of the largest files
    // come first.
    int connections = config.connections();
    ExecutorService fetchers = pool("fetch", connections);
    ExecutorService files = pool("file", Math.min(connections, largestFirst.size()));
    ExecutorCompletionService<Map.Entry<String, String>> done =
        new ExecutorCompletionService<>(files);
    try {
      for (RepoFile file : largestFirst) {
        FileLoad load =
            new FileLoad(
                hub,
                layout,
                commit,
                file,
                config.segmentBytes(),
                progress,
                config.describeVolume(),
                fetchers);
        done.submit(() -> Map.entry(file.path(), load.run()));
      }
      Map<String, String> fetched = new TreeMap<>();
      for (int i = 0; i < largestFirst.size(); i++) {
        Map.Entry<String, String> entry = take(done);
        fetched.put(entry.getKey(), entry.getValue());
        progress.fileDone();
      }
      Map<String, String> etags = new TreeMap<>();
      for (RepoFile file : selected) {
        String key = file.expectedEtag().orElse("path:" + file.path());
        etags.put(file.path(), fetched.get(byBlob.get(key).path()));
      }
      return etags;
    } finally {
      files.shutdownNow();
      fetchers.shutdownNow();
    }
  }

  private static ExecutorService pool(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, name + "-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  private static Map.Entry<String, String> take(
      ExecutorCompletionService<Map.Entry<String, String>> done)
      throws LoadFailure, InterruptedException {
    try {
      return done.take().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LoadFailure failure) {
        throw failure;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  private void link(String commit, List<RepoFile> selected, Map<String, String> etags)
      throws LoadFailure {
    for (RepoFile file : selected) {
      Path target = layout.snapshotFile(commit, file.path());
      try {
        if (!AtomicFiles.link(target, layout.blob(etags.get(file.path())))) {
          LOG.log(
              Level.WARNING,
              "the claim has no symbolic links: moved " + file.path() + " into the snapshot");
        }
      } catch (IOException e) {
        throw storage(e, "linking " + file.path() + " into snapshot " + commit);
      }
    }
  }

  private LoadFailure storage(IOException e, String doing) {
    return DiskErrors.failure(e, config.describeVolume(), doing, 0);
  }

  private static long sizeOf(Path path) {
    try {
      return Files.size(path);
    } catch (IOException e) {
      return -1;
    }
  }
}
