package io.fluxops.loader.download;

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

/**
 * Downloads one file into its blob, resumably and checked. Bytes go to {@code blobs/{etag}
 * .incomplete}; a run that finds one hashes what is there and asks only for the rest ({@code Range:
 * bytes=N-}), in segments of bounded size, each from a freshly resolved URL (file URLs are signed
 * and expire, and huggingface_hub notes that the Hub serves no single request above 50 GB). When
 * every byte is there and synced, the digest is compared with the Hub's; only a match is renamed to
 * {@code blobs/{etag}}, so a blob that exists is a verified one. A mismatch discards the bytes and
 * fetches the file once more before failing.
 */
final class BlobDownload {
  private static final System.Logger LOG = System.getLogger(BlobDownload.class.getName());
  private static final int BUFFER_BYTES = 256 * 1024;
  private static final int FETCHES_PER_FILE = 2;

  private final HubClient hub;
  private final CacheLayout layout;
  private final String commit;
  private final RepoFile file;
  private final long segmentBytes;
  private final Progress progress;
  private final String volume;

  BlobDownload(
      HubClient hub,
      CacheLayout layout,
      String commit,
      RepoFile file,
      long segmentBytes,
      Progress progress,
      String volume) {
    this.hub = hub;
    this.layout = layout;
    this.commit = commit;
    this.file = file;
    this.segmentBytes = segmentBytes;
    this.progress = progress;
    this.volume = volume;
  }

  /** Makes the file's blob exist and verified; returns its etag. */
  String run() throws LoadFailure, InterruptedException {
    FileLocation location = checked(hub.locate(commit, file.path()));
    Path blob = layout.blob(location.etag());
    if (isThere(blob, location.size())) {
      progress.added(location.size());
      return location.etag();
    }
    Path partial = layout.incomplete(location.etag());
    for (int fetch = 1; fetch <= FETCHES_PER_FILE; fetch++) {
      String actual = fetchInto(partial, location);
      if (actual.equals(location.etag())) {
        try {
          AtomicFiles.move(partial, blob);
        } catch (IOException e) {
          throw DiskErrors.failure(e, volume, "keeping " + file.path(), 0);
        }
        return location.etag();
      }
      LOG.log(
          Level.WARNING,
          file.path()
              + ": checksum "
              + actual
              + " where the Hub says "
              + location.etag()
              + (fetch < FETCHES_PER_FILE ? "; discarding the bytes and fetching it again" : ""));
      progress.discarded(location.size());
      deleteQuietly(partial);
      location = hub.locate(commit, file.path());
    }
    throw new LoadFailure(
        Reason.CHECKSUM_MISMATCH,
        file.path()
            + " arrived with a checksum other than the Hub's "
            + (location.isSha256() ? "sha256 " : "git blob id ")
            + location.etag()
            + " in "
            + FETCHES_PER_FILE
            + " downloads: something between the Hub and the claim alters it (a proxy that"
            + " rewrites content, or failing storage)");
  }

  /** The Hub's HEAD must agree with its own file list. */
  private FileLocation checked(FileLocation location) throws LoadFailure {
    boolean sameSize = location.size() == file.size();
    boolean sameSha = file.expectedEtag().map(etag -> etag.equals(location.etag())).orElse(true);
    if (!sameSize || !sameSha) {
      throw new LoadFailure(
          Reason.UNEXPECTED_RESPONSE,
          "the Hub lists "
              + file.path()
              + " as "
              + file.size()
              + " bytes"
              + file.expectedEtag().map(s -> " with etag " + s).orElse("")
              + " but resolves it to "
              + location.size()
              + " bytes with etag "
              + location.etag()
              + ": is a proxy changing its answers?");
    }
    return location;
  }

  /** Fills {@code partial} to the file's size; returns the hex digest of all its bytes. */
  private String fetchInto(Path partial, FileLocation first)
      throws LoadFailure, InterruptedException {
    FileLocation location = first;
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
            StandardOpenOption.WRITE)) {
      MessageDigest digest = Checksum.start(location);
      long position = resume(channel, digest, size);
      Attempts attempts = hub.attempts();
      ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
      while (position < size) {
        long end = Math.min(size, position + segmentBytes) - 1;
        try (Segment segment = hub.open(location, position, end)) {
          if (segment.whole()) {
            if (position > 0) {
              LOG.log(Level.WARNING, file.path() + ": the host ignored Range; starting over");
              channel.truncate(0);
              progress.discarded(position);
              digest = Checksum.start(location);
              position = 0;
            }
            end = size - 1;
          }
          position = copy(segment.body(), channel, digest, buffer, position, end, attempts);
          if (position <= end) {
            throw new IOException(
                "the connection ended after " + position + " of " + size + " bytes");
          }
          segment.finished();
        } catch (IOException e) {
          if (isDiskError(e)) {
            throw DiskErrors.failure(e, volume, "writing " + file.path(), size - position);
          }
          attempts.failed("download " + file.path(), HubClient.problem(e), retryAfter(e));
          location = checked(hub.locate(commit, file.path()));
        }
      }
      channel.force(true);
      return Checksum.hex(digest);
    } catch (IOException e) {
      throw DiskErrors.failure(e, volume, "writing " + file.path(), size);
    }
  }

  /** Hashes the bytes a previous run left; returns where to go on from. */
  private long resume(FileChannel channel, MessageDigest digest, long size) throws IOException {
    long existing = channel.size();
    if (existing > size) {
      channel.truncate(0);
      existing = 0;
    }
    if (existing > 0) {
      LOG.log(Level.INFO, file.path() + ": resuming after " + Sizes.show(existing));
      ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
      long read = 0;
      while (read < existing) {
        buffer.clear();
        int n = channel.read(buffer, read);
        if (n < 0) {
          break;
        }
        digest.update(buffer.array(), 0, n);
        read += n;
      }
      progress.added(existing);
    }
    return existing;
  }

  /**
   * Streams the body to the channel up to {@code end} inclusive (or to the end of the file when the
   * host sends it whole); returns the next position.
   */
  private long copy(
      InputStream body,
      FileChannel channel,
      MessageDigest digest,
      ByteBuffer buffer,
      long from,
      long end,
      Attempts attempts)
      throws IOException {
    long position = from;
    byte[] bytes = buffer.array();
    while (position <= end) {
      int want = (int) Math.min(bytes.length, end - position + 1);
      int n = body.read(bytes, 0, want);
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
      digest.update(bytes, 0, n);
      progress.fetched(n);
      attempts.progressed();
    }
    return position;
  }

  private static boolean isDiskError(IOException e) {
    return e instanceof DiskWriteException || DiskErrors.isFull(e);
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

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete " + path + ": " + e);
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
