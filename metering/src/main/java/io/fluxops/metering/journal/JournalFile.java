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
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The journal's files in its directory: {@code journal.log}, appended to and fsynced; {@code
 * journal.log.tmp}, where compaction writes a checkpoint before renaming it over the log; and
 * {@code journal.lock}, held so that two processes never write the same journal; and {@code
 * journal.damaged-<millis>.log}, a damaged log set aside for a person to look at.
 */
final class JournalFile implements Closeable {
  static final String LOG = "journal.log";
  static final String TMP = "journal.log.tmp";
  static final String LOCK = "journal.lock";
  static final String DAMAGED_PREFIX = "journal.damaged-";
  static final String RESERVE = "journal.reserve";

  /** Room for 1,600 records, 800 reports, once the volume is full. */
  static final int RESERVE_BYTES = 64 * 1024;

  /**
   * Rewrites go out in pieces of this size, so that carrying 10,000 prompts needs no big buffer.
   */
  private static final int REWRITE_CHUNK = 16 * 1024;

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private FileChannel log;
  private long size;
  private long baseSize = JournalCodec.CHECKPOINT_SIZE;

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

  /**
   * Reads the log. A torn last write (the bytes a crash cut short, which nobody was told were
   * recorded) is dropped; anything else that is not an intact record in sequence is damage, and the
   * replay stops there and says what it found.
   */
  Replay replay() throws IOException {
    Path path = dir.resolve(LOG);
    if (!Files.exists(path)) {
      return Replay.empty();
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

  static Replay replay(ByteBuffer data) {
    if (data.limit() == 0) {
      return Replay.empty();
    }
    PromptLedger prompts = new PromptLedger();
    Optional<JournalCodec.Entry> first = JournalCodec.decode(data, 0);
    if (first.isEmpty() || !(first.get() instanceof JournalCodec.CheckpointEntry checkpoint)) {
      // The checkpoint is written to a temporary file, synced and renamed: never torn.
      return Replay.damaged(
          JournalState.EMPTY,
          0,
          0,
          "the checkpoint at the start of " + LOG + " is not intact (" + data.limit() + " bytes)",
          prompts);
    }
    JournalState state = checkpoint.state();
    long sequence = checkpoint.sequence();
    int records = 1;
    int offset = checkpoint.size();
    while (offset < data.limit()) {
      Optional<JournalCodec.Entry> entry = JournalCodec.decode(data, offset);
      if (entry.isEmpty()) {
        return unreadable(data, offset, state, records, sequence, prompts);
      }
      if (!(entry.get() instanceof JournalCodec.EventEntry event)) {
        return Replay.damaged(
            state,
            records,
            sequence,
            "a second checkpoint at byte " + offset + " of " + LOG,
            prompts);
      }
      if (event.sequence() != sequence + 1) {
        return Replay.damaged(
            state,
            records,
            sequence,
            "the record at byte "
                + offset
                + " of "
                + LOG
                + " is number "
                + event.sequence()
                + ", where "
                + (sequence + 1)
                + " was due: a record is repeated or missing",
            prompts);
      }
      state = state.apply(event.event());
      if (event.event().prompt() != null) {
        prompts.add(event.event().prompt());
      }
      sequence++;
      records++;
      offset += event.size();
    }
    return new Replay(state, records, 0, sequence, Optional.empty(), prompts);
  }

  /**
   * Bytes at {@code offset} that are not a record. An append a crash interrupted leaves less than
   * the record its header announces (or, with not even a header, less than the shortest record), or
   * space the file system allocated but never wrote (zeros), and nothing after it; anything else is
   * damage.
   */
  private static Replay unreadable(
      ByteBuffer data,
      int offset,
      JournalState state,
      int records,
      long sequence,
      PromptLedger prompts) {
    int rest = data.limit() - offset;
    boolean intactAfter = nextIntactRecord(data, offset + 1) >= 0;
    int announced = JournalCodec.announcedSize(data, offset);
    int whole = announced > 0 ? announced : JournalCodec.EVENT_SIZE;
    if (!intactAfter && (rest < whole || zeros(data, offset))) {
      return new Replay(state, records, rest, sequence, Optional.empty(), prompts);
    }
    return Replay.damaged(
        state,
        records,
        sequence,
        "bytes "
            + offset
            + " to "
            + data.limit()
            + " of "
            + LOG
            + " are not an intact record"
            + (intactAfter ? ", and intact records follow them" : ""),
        prompts);
  }

  private static boolean zeros(ByteBuffer data, int from) {
    for (int i = from; i < data.limit(); i++) {
      if (data.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static int nextIntactRecord(ByteBuffer data, int from) {
    for (int i = from; i < data.limit(); i++) {
      if (data.get(i) == JournalCodec.MAGIC && JournalCodec.decode(data, i).isPresent()) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Damaged journals set aside earlier, oldest first. While one is there the journal stays refused:
   * a restart must not quietly start counting from zero.
   */
  List<Path> damaged() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(DAMAGED_PREFIX))
          .sorted()
          .toList();
    }
  }

  /** Moves the log aside as {@code journal.damaged-<millis>.log}, where nothing overwrites it. */
  Path setAside(long nowMillis) throws IOException {
    closeLog();
    Path aside = dir.resolve(DAMAGED_PREFIX + nowMillis + ".log");
    Files.move(dir.resolve(LOG), aside, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory();
    return aside;
  }

  /**
   * Replaces the log with a checkpoint of {@code state} followed by a {@link EventType#REMEMBER}
   * record for each of {@code carried} (numbered on from {@code sequence}), atomically: a crash at
   * any point leaves either the old log or the new one.
   *
   * @return the sequence number of the last record written
   */
  long rewrite(JournalState state, long sequence, List<PromptKey> carried, long atMillis)
      throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(REWRITE_CHUNK);
    JournalCodec.encode(state, sequence, chunk);
    long last = sequence;
    Path tmp = dir.resolve(TMP);
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      for (PromptKey key : carried) {
        if (chunk.remaining() < JournalCodec.PROMPT_SIZE) {
          writeFully(out, chunk.flip());
          chunk.clear();
        }
        JournalCodec.encode(Event.prompt(EventType.REMEMBER, key, 0, atMillis), ++last, chunk);
      }
      writeFully(out, chunk.flip());
      out.force(true);
    } catch (IOException e) {
      // A full disk: leave no empty temporary file behind; the log beside it is whole.
      Files.deleteIfExists(tmp);
      throw e;
    }
    closeLog();
    Files.move(tmp, dir.resolve(LOG), StandardCopyOption.ATOMIC_MOVE);
    forceDirectory();
    log = FileChannel.open(dir.resolve(LOG), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = log.size();
    baseSize = size;
    return last;
  }

  /**
   * Appends {@code records} and waits until they are on disk. A write that fails (a full disk) is
   * cut off again, so that the next append does not follow half a record.
   */
  void append(ByteBuffer records) throws IOException {
    long before = size;
    try {
      size += writeFully(log, records);
      log.force(false);
    } catch (IOException e) {
      size = before;
      try {
        log.truncate(before);
      } catch (IOException ignored) {
        // The replay drops a torn end; what matters is the append's own failure.
      }
      throw e;
    }
  }

  /**
   * Keeps appending to the log as it is, when no checkpoint could be written (a full disk): the
   * torn end, if any, is cut off first, which needs no space.
   */
  void continueLog(long intactBytes) throws IOException {
    closeLog();
    log = FileChannel.open(dir.resolve(LOG), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    log.truncate(intactBytes);
    log.position(intactBytes);
    log.force(true);
    size = intactBytes;
  }

  /**
   * Makes sure {@link #RESERVE_BYTES} of the volume are held by {@code journal.reserve}, space that
   * {@link #releaseReserve()} gives back to the journal when the volume fills up, so that reports
   * can still be opened and closed.
   */
  void ensureReserve() throws IOException {
    Path reserve = dir.resolve(RESERVE);
    if (Files.exists(reserve) && Files.size(reserve) == RESERVE_BYTES) {
      return;
    }
    try (FileChannel out =
        FileChannel.open(
            reserve,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(out, ByteBuffer.allocate(RESERVE_BYTES));
      out.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(reserve);
      throw e;
    }
  }

  /** Gives the reserve's space back to the volume; whether there was one. */
  boolean releaseReserve() throws IOException {
    return Files.deleteIfExists(dir.resolve(RESERVE));
  }

  /** Bytes in the log. */
  long size() {
    return size;
  }

  /**
   * Bytes in the log right after the last rewrite: the checkpoint and the prompts it carried. What
   * grows beyond it is what compaction can win back.
   */
  long baseSize() {
    return baseSize;
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
