package io.fluxops.metering.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void acceptedCountsSurviveReopening() throws Exception {
    try (Journal journal = Journal.open(dir, CLOCK)) {
      journal.accept(3);
      journal.accept(4);
      journal.beginSend(7);
      journal.reported(7);
      journal.accept(2);
    }

    try (Journal journal = Journal.open(dir, CLOCK)) {
      assertThat(journal.state().accepted()).isEqualTo(9);
      assertThat(journal.state().reported()).isEqualTo(7);
      assertThat(journal.state().pending()).isEqualTo(2);
      assertThat(journal.state().monthToDate(CLOCK.instant())).isEqualTo(9);
    }
  }

  @Test
  void aCrashLosesNothingAcknowledgedAndDropsATornLastRecord() throws Exception {
    Path crashed = dir.resolve("crashed");
    try (Journal journal = Journal.open(dir.resolve("live"), CLOCK)) {
      journal.accept(5);
      journal.accept(6);
      // What a kill -9 leaves: the fsynced log as it is, plus half a record nobody acknowledged.
      copyJournal(dir.resolve("live"), crashed);
    }
    appendBytes(crashed.resolve(JournalFile.LOG), tornRecord());

    try (Journal journal = Journal.open(crashed, CLOCK)) {
      assertThat(journal.state().accepted()).isEqualTo(11);
      assertThat(journal.replay().tornBytes()).isEqualTo(tornRecord().length);
      assertThat(journal.replay().damage()).isEmpty();
      journal.accept(1);
    }
    try (Journal journal = Journal.open(crashed, CLOCK)) {
      assertThat(journal.state().accepted()).isEqualTo(12);
      assertThat(journal.replay().tornBytes()).isZero();
    }
  }

  @Test
  void aReportOpenAtTheCrashIsPendingAgainAndCountedAsPossiblyDuplicated() throws Exception {
    Path crashed = dir.resolve("crashed");
    try (Journal journal = Journal.open(dir.resolve("live"), CLOCK)) {
      journal.accept(8);
      journal.beginSend(8);
      copyJournal(dir.resolve("live"), crashed);
    }

    try (Journal journal = Journal.open(crashed, CLOCK)) {
      assertThat(journal.replay().state().inFlight()).isEqualTo(8);
      assertThat(journal.state().inFlight()).isZero();
      assertThat(journal.state().pending()).isEqualTo(8);
      assertThat(journal.state().possiblyDuplicated()).isEqualTo(8);
    }
  }

  @Test
  void damageInsideTheLogRefusesTheJournalAndKeepsTheFile() throws Exception {
    Path crashed = crashedWith(1, 2, 4);
    Path log = crashed.resolve(JournalFile.LOG);
    byte[] bytes = Files.readAllBytes(log);
    int secondEvent = JournalCodec.CHECKPOINT_SIZE + JournalCodec.EVENT_SIZE;
    bytes[secondEvent + 6] ^= 0x01;
    Files.write(log, bytes);

    assertRefused(crashed, "bytes " + secondEvent + " to", "intact records follow", bytes);
  }

  @Test
  void aDamagedCheckpointIsNeverTakenForATornWrite() throws Exception {
    try (Journal journal = Journal.open(dir, CLOCK)) {
      journal.accept(40);
      journal.beginSend(30);
      journal.reported(30);
    }
    // Closed cleanly: the log is one checkpoint. One flipped byte in it, then one cut off.
    Path log = dir.resolve(JournalFile.LOG);
    byte[] compacted = Files.readAllBytes(log);
    assertThat(compacted).hasSize(JournalCodec.CHECKPOINT_SIZE);
    byte[] flipped = compacted.clone();
    flipped[20] ^= 0x04;
    Files.write(log, flipped);
    assertRefused(dir, "the checkpoint at the start", "", flipped);

    Path truncated = dir.resolve("truncated");
    Files.createDirectories(truncated);
    byte[] cut = java.util.Arrays.copyOf(compacted, compacted.length - 1);
    Files.write(truncated.resolve(JournalFile.LOG), cut);
    assertRefused(truncated, "the checkpoint at the start", "", cut);
  }

  @Test
  void aRepeatedRecordIsDetected() throws Exception {
    Path crashed = crashedWith(5, 6);
    Path log = crashed.resolve(JournalFile.LOG);
    byte[] bytes = Files.readAllBytes(log);
    // The last record, written twice: each copy intact, only its sequence number tells.
    byte[] last =
        java.util.Arrays.copyOfRange(bytes, bytes.length - JournalCodec.EVENT_SIZE, bytes.length);
    appendBytes(log, last);
    byte[] repeated = Files.readAllBytes(log);

    assertRefused(crashed, "is number 2, where 3 was due", "repeated or missing", repeated);
  }

  @Test
  void zerosAfterTheLastRecordAreATornWrite() throws Exception {
    Path crashed = crashedWith(7);
    // Space a crash left allocated but unwritten.
    appendBytes(crashed.resolve(JournalFile.LOG), new byte[3 * JournalCodec.EVENT_SIZE]);

    try (Journal journal = Journal.open(crashed, CLOCK)) {
      assertThat(journal.damage()).isEmpty();
      assertThat(journal.state().accepted()).isEqualTo(7);
      assertThat(journal.replay().tornBytes()).isEqualTo(3 * JournalCodec.EVENT_SIZE);
    }
  }

  /** A journal that accepted {@code counts} and was not closed: what a kill -9 leaves. */
  private Path crashedWith(long... counts) throws Exception {
    Path crashed = dir.resolve("crashed");
    try (Journal journal = Journal.open(dir.resolve("live"), CLOCK)) {
      for (long n : counts) {
        journal.accept(n);
      }
      copyJournal(dir.resolve("live"), crashed);
    }
    return crashed;
  }

  /**
   * The journal in {@code journalDir} opens refusing every event, says what is damaged, keeps the
   * damaged bytes aside untouched, and stays refused at the next open.
   */
  private static void assertRefused(Path journalDir, String what, String more, byte[] damaged)
      throws Exception {
    try (Journal journal = Journal.open(journalDir, CLOCK)) {
      assertThat(journal.damage()).hasValueSatisfying(d -> assertThat(d).contains(what, more));
      assertThatThrownBy(() -> journal.accept(1))
          .isInstanceOf(JournalException.class)
          .hasMessageContaining("journal damaged");
      assertThatThrownBy(() -> journal.beginSend(1)).isInstanceOf(JournalException.class);
    }
    List<Path> aside;
    try (Stream<Path> files = Files.list(journalDir)) {
      aside =
          files
              .filter(f -> f.getFileName().toString().startsWith(JournalFile.DAMAGED_PREFIX))
              .toList();
    }
    assertThat(aside)
        .singleElement()
        .satisfies(f -> assertThat(Files.readAllBytes(f)).isEqualTo(damaged));
    try (Journal again = Journal.open(journalDir, CLOCK)) {
      assertThat(again.damage())
          .hasValueSatisfying(d -> assertThat(d).contains("set aside as " + aside.get(0)));
      assertThatThrownBy(() -> again.accept(1)).isInstanceOf(JournalException.class);
    }
  }

  @Test
  void concurrentAcceptsShareFsyncs() throws Exception {
    AtomicInteger groups = new AtomicInteger();
    AtomicInteger events = new AtomicInteger();
    int clients = 8;
    int perClient = 200;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (Journal journal = Journal.open(dir, CLOCK)) {
      journal.setObserver(
          (n, nanos) -> {
            groups.incrementAndGet();
            events.addAndGet(n);
          });
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perClient; i++) {
                    journal.accept(1);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get();
      }
      assertThat(journal.state().accepted()).isEqualTo(clients * perClient);
    } finally {
      pool.shutdownNow();
    }
    assertThat(events.get()).isEqualTo(clients * perClient);
    assertThat(groups.get()).isLessThan(clients * perClient);
  }

  @Test
  void compactionKeepsTheCountsAndBoundsTheLog() throws Exception {
    long threshold = 50L * JournalCodec.EVENT_SIZE;
    try (Journal journal = Journal.open(dir, CLOCK, threshold)) {
      for (int i = 0; i < 500; i++) {
        journal.accept(1);
        if (i == 100) {
          journal.beginSend(101);
        }
        assertThat(Files.size(dir.resolve(JournalFile.LOG))).isLessThanOrEqualTo(threshold);
      }
      assertThat(journal.state().inFlight()).isEqualTo(101);
    }
    try (Journal journal = Journal.open(dir, CLOCK, threshold)) {
      assertThat(journal.state().accepted()).isEqualTo(500);
      // The report left open survived the compactions, so the next start knows it was open.
      assertThat(journal.state().possiblyDuplicated()).isEqualTo(101);
    }
    assertThat(Files.size(dir.resolve(JournalFile.LOG))).isEqualTo(JournalCodec.CHECKPOINT_SIZE);
  }

  @Test
  void aSecondProcessCannotOpenAJournalInUse() throws Exception {
    try (Journal journal = Journal.open(dir, CLOCK)) {
      Path lock = dir.resolve(JournalFile.LOCK);
      assertThat(lock).exists();
      assertThatThrownBy(() -> Journal.open(dir, CLOCK)).isInstanceOf(Exception.class);
    }
  }

  @Test
  void aClosedJournalRefusesNewEvents() throws Exception {
    Journal journal = Journal.open(dir, CLOCK);
    journal.close();

    assertThatThrownBy(() -> journal.accept(1))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("journal is closed");
    assertThatThrownBy(() -> journal.beginSend(1)).isInstanceOf(JournalException.class);
  }

  private static byte[] tornRecord() {
    ByteBuffer buffer = ByteBuffer.allocate(JournalCodec.EVENT_SIZE);
    JournalCodec.encode(Event.of(EventType.ACCEPT, 99, 1L), 3, buffer);
    byte[] half = new byte[JournalCodec.EVENT_SIZE / 2];
    buffer.flip().get(half);
    return half;
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

  private static void appendBytes(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }
}
