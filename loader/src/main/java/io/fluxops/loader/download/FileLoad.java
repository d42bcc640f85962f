package io.fluxops.loader.download;

import io.fluxops.common.ByteSizes;
import io.fluxops.loader.cache.AtomicFiles;
import io.fluxops.loader.cache.CacheLayout;
import io.fluxops.loader.hub.Attempts;
import io.fluxops.loader.hub.FileLocation;
import io.fluxops.loader.hub.HubClient;
import io.fluxops.loader.hub.RepoFile;
import io.fluxops.loader.hub.RetryableStatus;
import io.fluxops.loader.hub.Segment;
import io.fluxops.loader.outcome.LoadFailure;
import io.fluxops.loader.outcome.Reason;
import io.fluxops.loader.status.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Downloads one file into its blob, resumably and checked. The file is cut into segments of bounded
 * size; each is a ranged GET ({@code Range: bytes=a-b}) from a URL the Hub resolved (file URLs are
 * signed and expire, and huggingface_hub notes that the Hub serves no single request above 50 GB),
 * and several run at once on the shared connections, so one large file (BFL's single-file
 * checkpoint) is not held to one connection's speed. Bytes go to {@code blobs/{etag}.incomplete}; a
 * finished segment is synced and recorded ({@link DoneRanges}), so a killed run loses at most the
 * segments it had under way.
 *
 * <p>While segments arrive, this file's own thread hashes the bytes front to back as far as they
 * are there. When all are there, the digest is compared with the Hub's; only a match is renamed to
 * {@code blobs/{etag}}, so a blob that exists is a verified one. A mismatch discards the bytes and
 * fetches the file once more before failing.
 */
final class FileLoad {
  private static final System.Logger LOG = System.getLogger(FileLoad.class.getName());
  private static final int BUFFER_BYTES = 256 * 1024;
  private static final int FETCHES_PER_FILE = 2;

  private final HubClient hub;
  private final CacheLayout layout;
  private final String commit;
  private final RepoFile file;
  private final long segmentBytes;
  private final Progress progress;
  private final String volume;
  private final ExecutorService connections;
  private volatile FileLocation location;

  FileLoad(
      HubClient hub,
      CacheLayout layout,
      String commit,
      RepoFile file,
      long segmentBytes,
      Progress progress,
      String volume,
      ExecutorService connections) {
    this.hub = hub;
    this.layout = layout;
    this.commit = commit;
    this.file = file;
    this.segmentBytes = segmentBytes;
    this.progress = progress;
    this.volume = volume;
    this.connections = connections;
  }

  /** Makes the file's blob exist and verified; returns its etag. */
  String run() throws LoadFailure, InterruptedException {
    location = checked(hub.locate(commit, file.path()));
    String etag = location.etag();
    Path blob = layout.blob(etag);
    if (isThere(blob, location.size())) {
      progress.added(location.size());
      return etag;
    }
    Path partial = layout.incomplete(etag);
    for (int fetch = 1; fetch <= FETCHES_PER_FILE; fetch++) {
      String actual = fetchInto(partial);
      if (actual.equals(etag)) {
        try {
          AtomicFiles.move(partial, blob);
          Files.deleteIfExists(DoneRanges.record(partial));
        } catch (IOException e) {
          throw DiskErrors.failure(e, volume, "keeping " + file.path(), 0);
        }
        return etag;
      }
      LOG.log(
          Level.WARNING,
          file.path()
              + ": checksum "
              + actual
              + " where the Hub says "
              + etag
              + (fetch < FETCHES_PER_FILE ? "; discarding the bytes and fetching it again" : ""));
      progress.discarded(location.size());
      discard(partial);
      location = checked(hub.locate(commit, file.path()));
    }
    throw new LoadFailure(
        Reason.CHECKSUM_MISMATCH,
        file.path()
            + " arrived with a checksum other than the Hub's "
            + (location.isSha256() ? "sha256 " : "git blob id ")
            + etag
            + " in "
            + FETCHES_PER_FILE
            + " downloads: something between the Hub and the claim alters it (a proxy that"
            + " rewrites content, or failing storage)");
  }

  /** The Hub's HEAD must agree with its own file list. */
  private FileLocation checked(FileLocation found) throws LoadFailure {
    boolean sameSize = found.size() == file.size();
    boolean sameEtag = file.expectedEtag().map(e -> e.equals(found.etag())).orElse(true);
    if (!sameSize || !sameEtag) {
      throw new LoadFailure(
          Reason.UNEXPECTED_RESPONSE,
          "the Hub lists "
              + file.path()
              + " as "
              + file.size()
              + " bytes"
              + file.expectedEtag().map(s -> " with etag " + s).orElse("")
              + " but resolves it to "
              + found.size()
              + " bytes with etag "
              + found.etag()
              + ": is a proxy changing its answers?");
    }
    return found;
  }

  /** Fills {@code partial} to the file's size; returns the hex digest of all its bytes. */
  private String fetchInto(Path partial) throws LoadFailure, InterruptedException {
    long size = location.size();
    try {
      Files.createDirectories(partial.getParent());
    } catch (IOException e) {
      throw DiskErrors.failure(e, volume, "creating " + partial.getParent(), size);
    }
    try (FileChannel channel =
            FileChannel.open(
                partial,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        DoneRanges done = DoneRanges.open(partial, size)) {
      if (channel.size() > size) {
        channel.truncate(size);
      }
      long kept = done.bytes();
      if (kept > 0) {
        LOG.log(Level.INFO, file.path() + ": resuming with " + ByteSizes.show(kept) + " kept");
        progress.added(kept);
      }
      AtomicReference<Exception> failure = new AtomicReference<>();
      List<Future<?>> fetches = new ArrayList<>();
      for (long[] gap : done.missing(0, size - 1)) {
        for (long start = gap[0]; start <= gap[1]; start += segmentBytes) {
          long end = Math.min(gap[1], start + segmentBytes - 1);
          long from = start;
          fetches.add(connections.submit(() -> fetchRange(channel, done, from, end, failure)));
        }
      }
      try {
        String digest = hash(channel, done, size, failure);
        channel.force(true);
        return digest;
      } finally {
        for (Future<?> f : fetches) {
          f.cancel(true);
        }
      }
    } catch (IOException e) {
      throw DiskErrors.failure(e, volume, "writing " + file.path(), size);
    }
  }

  /** Hashes the file front to back as far as its bytes are there, until all of them are. */
  private String hash(
      FileChannel channel, DoneRanges done, long size, AtomicReference<Exception> failure)
      throws IOException, LoadFailure, InterruptedException {
    MessageDigest digest = Checksum.start(location);
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    long hashed = 0;
    while (hashed < size) {
      long end = done.awaitBeyond(hashed, () -> failure.get() != null);
      rethrow(failure.get());
      while (hashed < end) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), end - hashed));
        int n = channel.read(buffer, hashed);
        if (n < 0) {
          throw new IOException(file.path() + " is shorter than its recorded ranges");
        }
        digest.update(buffer.array(), 0, n);
        hashed += n;
      }
    }
    return Checksum.hex(digest);
  }

  /** One segment on one connection, tried again from its last byte until it is all there. */
  private void fetchRange(
      FileChannel channel,
      DoneRanges done,
      long start,
      long end,
      AtomicReference<Exception> failure) {
    try {
      Attempts attempts = hub.attempts();
      ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
      long position = start;
      while (position <= end) {
        if (failure.get() != null || Thread.currentThread().isInterrupted()) {
          return;
        }
        try (Segment segment = hub.open(location, position, end)) {
          InputStream body = segment.body();
          if (segment.whole() && position > 0) {
            // A host that ignores Range sends the file from its start: skip to ours.
            body.skipNBytes(position);
          }
          position = copy(body, channel, buffer, position, end, attempts);
          if (position <= end) {
            throw new IOException(
                "the connection ended at byte " + position + " of " + location.size());
          }
          if (!segment.whole()) {
            segment.finished();
          }
        } catch (DiskWriteException e) {
          throw DiskErrors.failure(e, volume, "writing " + file.path(), end - position + 1);
        } catch (IOException e) {
          if (DiskErrors.isFull(e)) {
            throw DiskErrors.failure(e, volume, "writing " + file.path(), end - position + 1);
          }
          attempts.failed("download " + file.path(), HubClient.problem(e), retryAfter(e));
          location = checked(hub.locate(commit, file.path()));
        }
      }
      try {
        channel.force(false);
        done.record(start, end);
      } catch (IOException e) {
        throw DiskErrors.failure(e, volume, "writing " + file.path(), 0);
      }
    } catch (LoadFailure | RuntimeException e) {
      failure.compareAndSet(null, e);
      done.wake();
    } catch (InterruptedException e) {
      failure.compareAndSet(null, e);
      done.wake();
      Thread.currentThread().interrupt();
    }
  }

  /** Streams the body to the channel up to {@code end} inclusive; returns the next position. */
  private long copy(
      InputStream body,
      FileChannel channel,
      ByteBuffer buffer,
      long from,
      long end,
      Attempts attempts)
      throws IOException {
    long position = from;
    byte[] bytes = buffer.array();
    while (position <= end) {
      int n = body.read(bytes, 0, (int) Math.min(bytes.length, end - position + 1));
      if (n < 0) {
        break;
      }
      buffer.clear().limit(n);
      try {
        while (buffer.hasRemaining()) {
          position += channel.write(buffer, position);
        }
      } catch (IOException e) {
        throw new DiskWriteException(e);
      }
      progress.fetched(n);
      attempts.progressed();
    }
    return position;
  }

  private void discard(Path partial) throws LoadFailure {
    try {
      Files.deleteIfExists(DoneRanges.record(partial));
      Files.deleteIfExists(partial);
    } catch (IOException e) {
      throw DiskErrors.failure(e, volume, "discarding " + file.path(), 0);
    }
  }

  private static void rethrow(Exception e) throws LoadFailure, InterruptedException {
    if (e instanceof LoadFailure failure) {
      throw failure;
    }
    if (e instanceof InterruptedException interrupted) {
      throw interrupted;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
  }

  private static Duration retryAfter(IOException e) {
    return e instanceof RetryableStatus retryable ? retryable.retryAfter() : Duration.ZERO;
  }

  private static boolean isThere(Path blob, long size) {
    try {
      return Files.isRegularFile(blob) && Files.size(blob) == size;
    } catch (IOException e) {
      return false;
    }
  }

  /** A write to the claim failed: never worth a new request. */
  static final class DiskWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    DiskWriteException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
