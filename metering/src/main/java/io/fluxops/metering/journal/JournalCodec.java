package io.fluxops.metering.journal;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The journal's on-disk record format: {@code magic(1) type(1) length(2) payload crc32c(4)}, big
 * endian, the checksum covering everything before it. Every payload starts with the record's
 * sequence number: the first record of a log is a checkpoint, and each event after it carries the
 * next number, so a record that was lost, repeated or moved is detected as well as a damaged one.
 *
 * <p>Event payloads: {@code sequence images atMillis counter} (32 bytes). The two ComfyUI types
 * ({@link EventType#PROMPT}, {@link EventType#REMEMBER}, added in revision 2.1 of format 2) put the
 * prompt's key in place of the counter: {@code sequence images atMillis keyHigh keyLow} (40 bytes).
 * Every other record is byte for byte what it was, so a journal of relay, metric or proxy counting
 * reads the same in either direction; a sidecar older than 2.1 that meets a record of type 7 or 8
 * takes it for damage and refuses to count, rather than miscounting.
 */
final class JournalCodec {
  /** Format 2: records with sequence numbers (format 1, 0xF1, had none). */
  static final byte MAGIC = (byte) 0xF2;

  static final byte CHECKPOINT = 0x7F;
  static final int HEADER = 4;
  static final int TRAILER = 4;
  static final int EVENT_PAYLOAD = 32;
  static final int PROMPT_PAYLOAD = 40;
  static final int CHECKPOINT_PAYLOAD = 80;
  static final int EVENT_SIZE = HEADER + EVENT_PAYLOAD + TRAILER;
  static final int PROMPT_SIZE = HEADER + PROMPT_PAYLOAD + TRAILER;
  static final int CHECKPOINT_SIZE = HEADER + CHECKPOINT_PAYLOAD + TRAILER;

  /** The longest event record. */
  static final int MAX_EVENT_SIZE = PROMPT_SIZE;

  private JournalCodec() {}

  /** A decoded record: an event, or a checkpoint carrying the whole state. */
  sealed interface Entry permits EventEntry, CheckpointEntry {
    int size();

    /** The record's sequence number. */
    long sequence();
  }

  record EventEntry(Event event, long sequence) implements Entry {
    @Override
    public int size() {
      return sizeOf(event.type());
    }
  }

  /** The size of a record of {@code type}. */
  static int sizeOf(EventType type) {
    return type.carriesPrompt() ? PROMPT_SIZE : EVENT_SIZE;
  }

  /**
   * @param sequence the sequence number of the last event the checkpoint includes; the next event
   *     carries {@code sequence + 1}
   */
  record CheckpointEntry(JournalState state, long sequence) implements Entry {
    @Override
    public int size() {
      return CHECKPOINT_SIZE;
    }
  }

  static void encode(Event event, long sequence, ByteBuffer out) {
    int start = out.position();
    boolean prompt = event.type().carriesPrompt();
    out.put(MAGIC)
        .put(event.type().code())
        .putShort((short) (prompt ? PROMPT_PAYLOAD : EVENT_PAYLOAD));
    out.putLong(sequence);
    out.putLong(event.images()).putLong(event.atMillis());
    if (prompt) {
      out.putLong(event.prompt().high()).putLong(event.prompt().low());
    } else {
      out.putDouble(event.counter());
    }
    putChecksum(out, start);
  }

  static void encode(JournalState state, long sequence, ByteBuffer out) {
    int start = out.position();
    out.put(MAGIC).put(CHECKPOINT).putShort((short) CHECKPOINT_PAYLOAD);
    out.putLong(sequence);
    out.putLong(state.accepted())
        .putLong(state.reported())
        .putLong(state.inFlight())
        .putLong(state.possiblyDuplicated())
        .putLong(state.month())
        .putLong(state.monthToDate())
        .putDouble(state.lastCounter())
        .putLong(state.lastReportAtMillis())
        .putLong(state.lastReportImages());
    putChecksum(out, start);
  }

  /**
   * The record starting at {@code offset}, or empty when the bytes there are not a whole, intact
   * record (torn write, corruption, or the end of the data).
   */
  static Optional<Entry> decode(ByteBuffer in, int offset) {
    int announced = announcedSize(in, offset);
    if (announced < 0) {
      return Optional.empty();
    }
    byte type = in.get(offset + 1);
    EventType eventType = type == CHECKPOINT ? null : EventType.fromCode(type);
    int end = offset + announced - TRAILER;
    if (in.limit() - end < TRAILER || in.getInt(end) != checksum(in, offset, end)) {
      return Optional.empty();
    }
    long sequence = in.getLong(offset + HEADER);
    int p = offset + HEADER + 8;
    if (sequence < 0 || in.getLong(p) < 0) {
      return Optional.empty();
    }
    if (eventType != null && eventType.carriesPrompt()) {
      PromptKey key = new PromptKey(in.getLong(p + 16), in.getLong(p + 24));
      return Optional.of(
          new EventEntry(Event.prompt(eventType, key, in.getLong(p), in.getLong(p + 8)), sequence));
    }
    if (eventType != null) {
      return Optional.of(
          new EventEntry(
              new Event(eventType, in.getLong(p), in.getLong(p + 8), in.getDouble(p + 16)),
              sequence));
    }
    return Optional.of(
        new CheckpointEntry(
            new JournalState(
                in.getLong(p),
                in.getLong(p + 8),
                in.getLong(p + 16),
                in.getLong(p + 24),
                in.getLong(p + 32),
                in.getLong(p + 40),
                in.getDouble(p + 48),
                in.getLong(p + 56),
                in.getLong(p + 64)),
            sequence));
  }

  /**
   * The size of the record whose header starts at {@code offset}, as that header announces it (a
   * known type with its type's length), or -1 when there is no such header there.
   */
  static int announcedSize(ByteBuffer in, int offset) {
    if (in.limit() - offset < HEADER || in.get(offset) != MAGIC) {
      return -1;
    }
    byte type = in.get(offset + 1);
    int length = Short.toUnsignedInt(in.getShort(offset + 2));
    int expected;
    if (type == CHECKPOINT) {
      expected = CHECKPOINT_PAYLOAD;
    } else {
      EventType eventType = EventType.fromCode(type);
      if (eventType == null) {
        return -1;
      }
      expected = sizeOf(eventType) - HEADER - TRAILER;
    }
    return length == expected ? HEADER + length + TRAILER : -1;
  }

  private static void putChecksum(ByteBuffer out, int start) {
    out.putInt(checksum(out, start, out.position()));
  }

  private static int checksum(ByteBuffer buffer, int from, int to) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.duplicate().limit(to).position(from));
    return (int) crc.getValue();
  }
}
