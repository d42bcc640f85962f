package io.fluxops.loader.download;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which byte ranges of a partial download are on disk and synced, kept beside it in {@code
 * {etag}.incomplete.ranges}: one {@code start-end} line per finished segment, appended and synced
 * after the segment's bytes. A run killed mid-segment loses only that segment; a torn last line is
 * ignored. A partial file without this record (huggingface_hub's, or an older loader's) was written
 * front to back: its length is its one range.
 */
final class DoneRanges implements AutoCloseable {
  private static final Pattern LINE = Pattern.compile("(\\d+)-(\\d+)");

  private final TreeMap<Long, Long> ranges = new TreeMap<>();
  private final FileChannel log;

  private DoneRanges(FileChannel log) {
    this.log = log;
  }

  /** Reads what an earlier run recorded for {@code partial}, then appends to the same record. */
  static DoneRanges open(Path partial, long size) throws IOException {
    Path record = record(partial);
    boolean known = Files.exists(record);
    long length = Files.exists(partial) ? Files.size(partial) : 0;
    FileChannel log =
        FileChannel.open(
            record, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    DoneRanges done = new DoneRanges(log);
    if (known) {
      for (String line : Files.readString(record, StandardCharsets.US_ASCII).split("\n")) {
        Matcher m = LINE.matcher(line);
        if (m.matches()) {
          long start = Long.parseLong(m.group(1));
          long end = Long.parseLong(m.group(2));
          if (start <= end && end < size && end < length) {
            done.add(start, end);
          }
        }
      }
    } else if (length > 0 && length <= size) {
      done.record(0, length - 1); // written front to back: the whole length is there
    }
    log.force(true);
    return done;
  }

  static Path record(Path partial) {
    return partial.resolveSibling(partial.getFileName() + ".ranges");
  }

  /** Records a range whose bytes are synced. */
  synchronized void record(long start, long end) throws IOException {
    ByteBuffer line =
        ByteBuffer.wrap((start + "-" + end + "\n").getBytes(StandardCharsets.US_ASCII));
    while (line.hasRemaining()) {
      log.write(line);
    }
    log.force(false);
    add(start, end);
    notifyAll();
  }

  /** The bytes from {@code from} that are there without a gap: how far a reader may go. */
  synchronized long contiguousEnd(long from) {
    long position = from;
    var entry = ranges.floorEntry(position);
    while (entry != null && entry.getValue() >= position) {
      position = entry.getValue() + 1;
      entry = ranges.floorEntry(position);
    }
    return position;
  }

  /** Waits until the byte at {@code position} is there, or {@code stop} says to give up. */
  synchronized long awaitBeyond(long position, java.util.function.BooleanSupplier stop)
      throws InterruptedException {
    long end;
    while ((end = contiguousEnd(position)) == position && !stop.getAsBoolean()) {
      wait(200);
    }
    return end;
  }

  /** Wakes a waiting reader, so that it sees a failure. */
  synchronized void wake() {
    notifyAll();
  }

  /** The parts of {@code start}..{@code end} that are not there yet. */
  synchronized List<long[]> missing(long start, long end) {
    List<long[]> gaps = new ArrayList<>();
    long position = start;
    while (position <= end) {
      long covered = contiguousEnd(position);
      if (covered > position) {
        position = covered;
        continue;
      }
      var next = ranges.ceilingEntry(position);
      long gapEnd = next == null ? end : Math.min(end, next.getKey() - 1);
      gaps.add(new long[] {position, gapEnd});
      position = gapEnd + 1;
    }
    return gaps;
  }

  synchronized long bytes() {
    return ranges.entrySet().stream().mapToLong(e -> e.getValue() - e.getKey() + 1).sum();
  }

  private void add(long start, long end) {
    long s = start;
    long e = end;
    var before = ranges.floorEntry(s);
    if (before != null && before.getValue() >= s - 1) {
      s = before.getKey();
      e = Math.max(e, before.getValue());
      ranges.remove(before.getKey());
    }
    var after = ranges.ceilingEntry(s);
    while (after != null && after.getKey() <= e + 1) {
      e = Math.max(e, after.getValue());
      ranges.remove(after.getKey());
      after = ranges.ceilingEntry(s);
    }
    ranges.put(s, e);
  }

  /** Forgets everything: the bytes were wrong. */
  synchronized void clear() throws IOException {
    ranges.clear();
    log.truncate(0);
    log.force(true);
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
