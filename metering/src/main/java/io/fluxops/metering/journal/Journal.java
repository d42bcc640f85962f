package io.fluxops.metering.journal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The durable record of every count: an append-only log of {@link Event}s with group commit.
 *
 * <p>One writer thread owns the file. Callers enqueue events and get a future that completes once
 * the event is fsynced; the writer takes everything queued, writes it in one go and fsyncs once, so
 * concurrent clients share the cost of a sync. The in-memory {@link JournalState} only ever
 * reflects durable events. When the log grows past a threshold the writer replaces it with a
 * checkpoint of the state.
 */
public final class Journal implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Journal.class.getName());
  private static final long COMPACT_AT_BYTES = 1L << 20;
  private static final int MAX_GROUP = 1024;

  /** Receives timings of the writer, for metrics. */
  public interface Observer {
    void groupCommitted(int events, long fsyncNanos);
  }

  private record Pending(Event event, CompletableFuture<JournalState> done) {}

  private static final Pending STOP = new Pending(null, null);

  private final JournalFile file;
  private final Clock clock;
  private final Replay replay;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(MAX_GROUP * JournalCodec.EVENT_SIZE);
  private final Thread writer;
  private volatile Observer observer = (events, nanos) -> {};
  private volatile JournalState state;
  private volatile String failure;
  private volatile boolean closed;

  private Journal(JournalFile file, Clock clock, Replay replay, JournalState state) {
    this.file = file;
    this.clock = clock;
    this.replay = replay;
    this.state = state;
    this.writer = new Thread(this::runWriter, "journal-writer");
  }

  /**
   * Opens the journal in {@code dir}: replays it, resolves a report left open by a crash, and
   * rewrites it as one checkpoint, which also drops a torn last record.
   */
  public static Journal open(Path dir, Clock clock) throws IOException {
    JournalFile file = JournalFile.lock(dir);
    try {
      Replay replay = file.replay();
      JournalState recovered = replay.state().recoveredAfterCrash();
      file.rewrite(recovered);
      Journal journal = new Journal(file, clock, replay, recovered);
      journal.writer.start();
      return journal;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** What the replay at open found. */
  public Replay replay() {
    return replay;
  }

  /** The counts of all durable events. */
  public JournalState state() {
    return state;
  }

  /** Why the journal stopped accepting writes, if it did. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  public void observe(Observer observer) {
    this.observer = observer;
  }

  /** Records images a client posted; completes once durable. */
  public CompletableFuture<JournalState> accept(long images) {
    if (images <= 0) {
      throw new IllegalArgumentException("images must be positive: " + images);
    }
    return append(Event.of(EventType.ACCEPT, images, clock.millis()));
  }

  /**
   * Records a scraped counter's new value and the images it added; completes once durable. Both in
   * one event, so a crash never separates a count from the baseline it was measured from.
   */
  public CompletableFuture<JournalState> observe(long images, double counter) {
    return append(new Event(EventType.OBSERVE, images, clock.millis(), counter));
  }

  /** Durably opens a report of {@code images}. */
  public JournalState beginSend(long images) throws JournalException {
    return await(append(Event.of(EventType.SEND, images, clock.millis())));
  }

  /** Durably closes the open report: BFL recorded it. */
  public JournalState reported(long images) throws JournalException {
    return await(append(Event.of(EventType.REPORTED, images, clock.millis())));
  }

  /** Durably closes the open report: BFL certainly did not record it. */
  public JournalState cancel(long images) throws JournalException {
    return await(append(Event.of(EventType.CANCEL, images, clock.millis())));
  }

  /** Durably closes the open report: BFL may or may not have recorded it. */
  public JournalState ambiguous(long images) throws JournalException {
    return await(append(Event.of(EventType.AMBIGUOUS, images, clock.millis())));
  }

  private CompletableFuture<JournalState> append(Event event) {
    CompletableFuture<JournalState> done = new CompletableFuture<>();
    synchronized (queue) {
      // Under the same lock as close(), so nothing is queued behind STOP and left waiting.
      if (failure != null || closed) {
        done.completeExceptionally(unavailable());
      } else {
        queue.add(new Pending(event, done));
      }
    }
    return done;
  }

  private static JournalState await(CompletableFuture<JournalState> future)
      throws JournalException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalException("interrupted while waiting for the journal", e);
    } catch (ExecutionException e) {
      throw new JournalException(e.getCause().getMessage(), e.getCause());
    }
  }

  private IOException unavailable() {
    return new IOException(
        failure != null ? "journal failed earlier: " + failure : "journal is closed");
  }

  private void runWriter() {
    List<Pending> group = new ArrayList<>(MAX_GROUP);
    boolean stop = false;
    while (!stop) {
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        // Only close() stops the writer, with STOP, so that nothing queued is left behind.
        continue;
      }
      queue.drainTo(group, MAX_GROUP - 1);
      stop = group.remove(STOP);
      if (!group.isEmpty()) {
        commit(group);
      }
      group.clear();
    }
  }

  private void commit(List<Pending> group) {
    if (failure != null) {
      group.forEach(p -> p.done().completeExceptionally(unavailable()));
      return;
    }
    buffer.clear();
    JournalState next = state;
    List<JournalState> states = new ArrayList<>(group.size());
    for (Pending pending : group) {
      JournalCodec.encode(pending.event(), buffer);
      next = next.apply(pending.event());
      states.add(next);
    }
    buffer.flip();
    try {
      long start = System.nanoTime();
      file.append(buffer);
      observer.groupCommitted(group.size(), System.nanoTime() - start);
    } catch (IOException e) {
      fail(e);
      group.forEach(p -> p.done().completeExceptionally(unavailable()));
      return;
    }
    state = next;
    for (int i = 0; i < group.size(); i++) {
      group.get(i).done().complete(states.get(i));
    }
    compactIfLarge();
  }

  private void compactIfLarge() {
    if (file.size() < COMPACT_AT_BYTES) {
      return;
    }
    try {
      file.rewrite(state);
    } catch (IOException e) {
      fail(e);
    }
  }

  private void fail(IOException e) {
    failure = e.getClass().getSimpleName() + ": " + e.getMessage();
    LOG.log(Level.ERROR, "journal write failed; refusing further counts until restart", e);
  }

  /**
   * Writes what is queued, replaces the log with a checkpoint and releases the journal. Events
   * appended afterwards fail.
   */
  @Override
  public void close() throws IOException {
    synchronized (queue) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    }
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (failure == null) {
        file.rewrite(state);
      }
    } finally {
      file.close();
    }
  }
}
