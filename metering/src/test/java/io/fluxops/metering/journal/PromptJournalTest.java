package io.fluxops.metering.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's records of ComfyUI prompts: counted once, remembered across restarts. */
class PromptJournalTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void aPromptIsCountedOnceEvenWhenOfferedAgainAfterAReopen() throws Exception {
    try (Journal journal = Journal.open(dir, CLOCK)) {
      journal.countPrompts(prompts("a", 2, "b", 0, "c", 4));
      journal.countPrompts(prompts("a", 2, "d", 1));
      assertThat(journal.state().accepted()).isEqualTo(7);
      assertThat(journal.prompts().size()).isEqualTo(4);
    }
    try (Journal journal = Journal.open(dir, CLOCK)) {
      assertThat(journal.prompts().contains(PromptKey.of("b"))).isTrue();
      journal.countPrompts(prompts("a", 2, "b", 0, "c", 4, "e", 3));
      assertThat(journal.state().accepted()).isEqualTo(10);
      assertThat(journal.state().monthToDate(CLOCK.instant())).isEqualTo(10);
    }
  }

  @Test
  void compactionCarriesThePromptsAndNumbersOnWithoutAGap() throws Exception {
    long threshold = 20L * JournalCodec.PROMPT_SIZE;
    try (Journal journal = Journal.open(dir, CLOCK, threshold)) {
      for (int i = 0; i < 200; i++) {
        journal.countPrompts(prompts("p" + i, 1));
        journal.beginSend(1);
        journal.reported(1);
      }
      assertThat(journal.state().accepted()).isEqualTo(200);
    }
    // The closing checkpoint carries all 200, so the log is one checkpoint and 200 prompts.
    assertThat(Files.size(dir.resolve(JournalFile.LOG)))
        .isEqualTo(JournalCodec.CHECKPOINT_SIZE + 200L * JournalCodec.PROMPT_SIZE);
    try (Journal journal = Journal.open(dir, CLOCK, threshold)) {
      assertThat(journal.replay().damage()).isEmpty();
      assertThat(journal.prompts().size()).isEqualTo(200);
      journal.countPrompts(prompts("p0", 1, "p199", 1, "new", 5));
      assertThat(journal.state().accepted()).isEqualTo(205);
      assertThat(journal.state().reported()).isEqualTo(200);
    }
    try (Journal journal = Journal.open(dir, CLOCK)) {
      assertThat(journal.replay().damage()).isEmpty();
      assertThat(journal.state().accepted()).isEqualTo(205);
      assertThat(journal.prompts().contains(PromptKey.of("new"))).isTrue();
    }
  }

  @Test
  void aTornPromptRecordIsDroppedAndItsPromptIsCountedAgainLater() throws Exception {
    Path crashed = dir.resolve("crashed");
    try (Journal journal = Journal.open(dir.resolve("live"), CLOCK)) {
      journal.countPrompts(prompts("a", 3));
      copyJournal(dir.resolve("live"), crashed);
    }
    ByteBuffer record = ByteBuffer.allocate(JournalCodec.PROMPT_SIZE);
    JournalCodec.encode(Event.prompt(EventType.PROMPT, PromptKey.of("b"), 2, 1L), 2, record);
    // Longer than an ordinary record, shorter than this one: still a torn write, not damage.
    byte[] torn = new byte[JournalCodec.EVENT_SIZE + 4];
    record.flip().get(torn);
    Files.write(crashed.resolve(JournalFile.LOG), torn, StandardOpenOption.APPEND);

    try (Journal journal = Journal.open(crashed, CLOCK)) {
      assertThat(journal.replay().damage()).isEmpty();
      assertThat(journal.replay().tornBytes()).isEqualTo(torn.length);
      assertThat(journal.state().accepted()).isEqualTo(3);
      assertThat(journal.prompts().contains(PromptKey.of("b"))).isFalse();
      journal.countPrompts(prompts("a", 3, "b", 2));
      assertThat(journal.state().accepted()).isEqualTo(5);
    }
  }

  @Test
  void theLedgerForgetsTheOldestBeyondItsCapacity() {
    PromptLedger ledger = new PromptLedger(3);
    for (String id : new String[] {"a", "b", "c", "b", "d"}) {
      ledger.add(PromptKey.of(id));
    }
    assertThat(ledger.keys())
        .containsExactly(PromptKey.of("b"), PromptKey.of("c"), PromptKey.of("d"));
    assertThat(ledger.contains(PromptKey.of("a"))).isFalse();
  }

  @Test
  void promptRecordsRoundTripAndAFlippedBitIsDetected() {
    Event event = Event.prompt(EventType.PROMPT, PromptKey.of("x"), 4, 1_700_000_000_000L);
    ByteBuffer buffer = ByteBuffer.allocate(JournalCodec.PROMPT_SIZE);
    JournalCodec.encode(event, 9, buffer);
    buffer.flip();
    assertThat(JournalCodec.decode(buffer, 0)).contains(new JournalCodec.EventEntry(event, 9));
    for (int i = 0; i < JournalCodec.PROMPT_SIZE; i++) {
      ByteBuffer damaged =
          ByteBuffer.allocate(JournalCodec.PROMPT_SIZE).put(buffer.duplicate()).flip();
      damaged.put(i, (byte) (damaged.get(i) ^ 0x04));
      assertThat(JournalCodec.decode(damaged, 0)).as("bit flipped in byte %d", i).isEmpty();
    }
  }

  /** Prompt ids and image counts, in order. */
  private static Map<PromptKey, Long> prompts(Object... idsAndImages) {
    Map<PromptKey, Long> prompts = new LinkedHashMap<>();
    for (int i = 0; i < idsAndImages.length; i += 2) {
      prompts.put(
          PromptKey.of((String) idsAndImages[i]), ((Integer) idsAndImages[i + 1]).longValue());
    }
    return prompts;
  }

  private static void copyJournal(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().equals(JournalFile.LOCK)) {
          Files.copy(file, to.resolve(file.getFileName()));
        }
      }
    }
  }
}
