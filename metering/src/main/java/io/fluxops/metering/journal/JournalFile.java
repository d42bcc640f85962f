package io.fluxops.metering.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The journal's files in its directory: {@code journal.log}, appended to and fsynced; {@code
 * journal.log.tmp}, where compaction writes a checkpoint before renaming it over the log; and
 * {@code journal.lock}, held so that two processes never write the same journal.
 */
final class JournalFile implements Closeable {
  static final String LOG = "journal.log";
  static final String TMP = "journal.log.tmp";
  static final String LOCK = "journal.lock";

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private FileChannel log;
  private long size;

  private JournalFile(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Locks the journal in {@code dir}; fails if another process holds it. */
  static JournalFile lock(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel channel =
        FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("the journal in " + dir + " is in use by another process");
    }
    // A crash during compaction leaves a temporary file; the log beside it is still whole.
    Files.deleteIfExists(dir.resolve(TMP));
    return new JournalFile(dir, channel, lock);
  }

  /** Reads every intact record of the log. */
  Replay replay() throws IOException {
    Path path = dir.resolve(LOG);
    if (!Files.exists(path)) {
      return new Replay(JournalState.EMPTY, 0, 0, 0);
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long length = channel.size();
      if (length > Integer.MAX_VALUE) {
        throw new IOException(path + " is larger than 2 GiB; it cannot be a journal");
      }
      MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
      return replay(data);
    }
  }

  private static Replay replay(ByteBuffer data) {
    JournalState state = JournalState.EMPTY;
    int records = 0;
    long skipped = 0;
    int offset = 0;
    while (offset < data.limit()) {
      Optional<JournalCodec.Entry> entry = JournalCodec.decode(data, offset);
      if (entry.isEmpty()) {
        int next = nextIntactRecord(data, offset + 1);
        if (next < 0) {
          return new Replay(state, records, data.limit() - offset, skipped);
        }
        skipped += next - offset;
        offset = next;
        continue;
      }
      state = applied(state, entry.get());
      records++;
      offset += entry.get().size();
    }
    return new Replay(state, records, 0, skipped);
  }

  private static JournalState applied(JournalState state, JournalCodec.Entry entry) {
    if (entry instanceof JournalCodec.CheckpointEntry checkpoint) {
      return checkpoint.state();
    }
    return state.apply(((JournalCodec.EventEntry) entry).event());
  }

  /**
   * Where damage in the middle of the log ends, or -1 when nothing intact follows (a torn tail).
   * Appends are acknowledged only after fsync, so only the tail can be torn; anything else is
   * damage, and skipping it keeps every intact acknowledged record.
   */
  private static int nextIntactRecord(ByteBuffer data, int from) {
    for (int i = from; i < data.limit(); i++) {
      if (data.get(i) == JournalCodec.MAGIC && JournalCodec.decode(data, i).isPresent()) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Replaces the log with a single checkpoint of {@code state}, atomically: a crash at any point
   * leaves either the old log or the new one.
   */
  void rewrite(JournalState state) throws IOException {
    ByteBuffer checkpoint = ByteBuffer.allocate(JournalCodec.CHECKPOINT_SIZE);
    JournalCodec.encode(state, checkpoint);
    checkpoint.flip();
    Path tmp = dir.resolve(TMP);
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(out, checkpoint);
      out.force(true);
    }
    closeLog();
    Files.move(tmp, dir.resolve(LOG), StandardCopyOption.ATOMIC_MOVE);
    forceDirectory();
    log = FileChannel.open(dir.resolve(LOG), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = log.size();
  }

  /** Appends {@code records} and waits until they are on disk. */
  void append(ByteBuffer records) throws IOException {
    size += writeFully(log, records);
    log.force(false);
  }

  /** Bytes in the log. */
  long size() {
    return size;
  }

  private static int writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    int written = 0;
    while (buffer.hasRemaining()) {
      written += channel.write(buffer);
    }
    return written;
  }

  /** The rename is durable only once the directory entry is. */
  private void forceDirectory() throws IOException {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  private void closeLog() throws IOException {
    if (log != null) {
      log.close();
      log = null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      closeLog();
    } finally {
      lock.release();
      lockChannel.close();
    }
  }
}
