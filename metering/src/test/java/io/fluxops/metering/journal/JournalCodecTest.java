package io.fluxops.metering.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class JournalCodecTest {
  @Test
  void eventsAndCheckpointsRoundTrip() {
    Event event = new Event(EventType.OBSERVE, 12, 1_700_000_000_000L, 1234.0);
    JournalState state = new JournalState(10, 8, 2, 1, 24_322, 9, 1234.0, 1_700_000_000_000L, 8);
    ByteBuffer buffer = ByteBuffer.allocate(256);
    JournalCodec.encode(event, 41, buffer);
    JournalCodec.encode(state, 40, buffer);
    buffer.flip();

    assertThat(JournalCodec.decode(buffer, 0)).contains(new JournalCodec.EventEntry(event, 41));
    assertThat(JournalCodec.decode(buffer, JournalCodec.EVENT_SIZE))
        .contains(new JournalCodec.CheckpointEntry(state, 40));
  }

  @Test
  void aTornRecordIsNotDecoded() {
    ByteBuffer buffer = ByteBuffer.allocate(64);
    JournalCodec.encode(Event.of(EventType.ACCEPT, 3, 1L), 1, buffer);
    for (int length = 0; length < JournalCodec.EVENT_SIZE; length++) {
      ByteBuffer torn = buffer.duplicate().position(0).limit(length);
      assertThat(JournalCodec.decode(torn, 0)).as("first %d bytes", length).isEmpty();
    }
  }

  @Test
  void aFlippedBitIsDetected() {
    ByteBuffer buffer = ByteBuffer.allocate(JournalCodec.EVENT_SIZE);
    JournalCodec.encode(Event.of(EventType.ACCEPT, 3, 1L), 1, buffer);
    buffer.flip();
    for (int i = 0; i < JournalCodec.EVENT_SIZE; i++) {
      ByteBuffer damaged =
          ByteBuffer.allocate(JournalCodec.EVENT_SIZE).put(buffer.duplicate()).flip();
      damaged.put(i, (byte) (damaged.get(i) ^ 0x10));
      assertThat(JournalCodec.decode(damaged, 0)).as("bit flipped in byte %d", i).isEmpty();
    }
  }
}
