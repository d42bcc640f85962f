package io.fluxops.metering.journal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable record of every count: an append-only log of {@link Event}s with group commit.
 *
 * <p>Each append returns once its event is fsynced. The caller that finds no commit running becomes
 * the leader: it writes every event queued so far in one write and syncs once; callers that arrive
 * meanwhile queue their events and wait, and the next leader commits them together. Concurrent
 * clients thus share a sync, and a lone client syncs on its own thread with no hand-off to another.
 * The in-memory {@link JournalState} only ever reflects durable events. When the log grows past a
 * threshold, the leader replaces it with a checkpoint of the state.
 */
public final class Journal implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Journal.class.getName());
  private static final long COMPACT_AT_BYTES = 1L << 20;
  private static final int MAX_GROUP = 1024;

  /** Receives timings of the commits, for metrics. */
  public interface Observer {
    void groupCommitted(int events, long fsyncNanos);
  }

  private record Pending(Event event, CompletableFuture<JournalState> done) {}

  private final JournalFile file;
  private final Clock clock;
  private final Replay replay;
  private final long compactAtBytes;
  private final List<Pending> queue = new ArrayList<>();
  private final ReentrantLock commitLock = new ReentrantLock();
  private final ByteBuffer buffer = ByteBuffer.allocate(MAX_GROUP * JournalCodec.MAX_EVENT_SIZE);
  private final PromptLedger prompts;
  private volatile Observer observer = (events, nanos) -> {};
  private volatile JournalState state;
  private volatile String failure;
  private final String damage;
  private volatile String full;
  private long lastRecoveryNanos;
  private long sequence;
  private volatile long commitStartedNanos;
  private boolean closed;

  private Journal(
      JournalFile file,
      Clock clock,
      Replay replay,
      JournalState state,
      long compactAtBytes,
      String damage) {
    this.file = file;
    this.clock = clock;
    this.replay = replay;
    this.state = state;
    this.compactAtBytes = compactAtBytes;
    this.damage = damage;
    this.sequence = replay.sequence();
    this.prompts = replay.prompts();
  }

  /**
   * Opens the journal in {@code dir}: replays it, resolves a report left open by a crash, and
   * rewrites it as one checkpoint, which also drops a torn last record. A damaged log is never
   * rewritten: it is moved aside, and the journal opens refusing every event (see {@link
   * #damage()}), now and at every start until a person removes the damaged file.
   */
  public static Journal open(Path dir, Clock clock) throws IOException {
    return open(dir, clock, COMPACT_AT_BYTES);
  }

  static Journal open(Path dir, Clock clock, long compactAtBytes) throws IOException {
    JournalFile file = JournalFile.lock(dir);
    try {
      List<Path> aside = file.damaged();
      if (!aside.isEmpty()) {
        Replay none =
            Replay.damaged(JournalState.EMPTY, 0, 0, "set aside earlier", new PromptLedger());
        return new Journal(
            file,
            clock,
            none,
            JournalState.EMPTY,
            compactAtBytes,
            refusal(
                "it was found damaged earlier and set aside as " + aside.get(aside.size() - 1)));
      }
      Replay replay = file.replay();
      if (replay.damage().isPresent()) {
        Path kept = file.setAside(clock.millis());
        String why = replay.damage().get() + "; the log is kept as " + kept;
        LOG.log(Level.ERROR, "journal damaged: " + why);
        return new Journal(file, clock, replay, replay.state(), compactAtBytes, refusal(why));
      }
      JournalState recovered = replay.state().recoveredAfterCrash();
      Journal journal = new Journal(file, clock, replay, recovered, compactAtBytes, null);
      journal.startWriting(dir);
      return journal;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * Rewrites the log as one checkpoint and holds the reserve. On a full volume, the reserve (kept
   * from an earlier start) makes room for that; without room, the log goes on as it is, and the
   * journal starts full: it refuses counts and records reports, so what is pending still reaches
   * BFL.
   */
  private void startWriting(Path dir) throws IOException {
    JournalState recovered = state;
    try {
      rewrite(recovered);
    } catch (IOException e) {
      if (!isNoSpace(e)) {
        throw e;
      }
      file.releaseReserve();
      try {
        rewrite(recovered);
      } catch (IOException again) {
        if (!isNoSpace(again)) {
          throw again;
        }
        long intact = java.nio.file.Files.size(dir.resolve(JournalFile.LOG)) - replay.tornBytes();
        file.continueLog(intact);
      }
      full = "the volume is full (" + e.getMessage() + ")";
      LOG.log(
          Level.ERROR,
          "journal volume full at start: counts are refused until it has space again; what is"
              + " pending is still reported");
      return;
    }
    try {
      file.ensureReserve();
    } catch (IOException e) {
      if (!isNoSpace(e)) {
        throw e;
      }
      full = "the volume is full (" + e.getMessage() + ")";
    }
  }

  /** ENOSPC or EDQUOT: the JDK says so only in the message. */
  static boolean isNoSpace(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("No space left on device") || message.contains("Disk quota exceeded");
  }

  private static String refusal(String why) {
    return "journal damaged: "
        + why
        + ". Counts are refused and nothing is reported until a person has saved that file"
        + " (the images it holds must still be reported to BFL) and deleted the pod";
  }

  /** What the replay at open found. */
  public Replay replay() {
    return replay;
  }

  /** The counts of all durable events. */
  public JournalState state() {
    return state;
  }

  /**
   * Why the journal was found damaged at open, if it was: it then refuses every event, and nothing
   * it holds is reported, until a person has looked.
   */
  public Optional<String> damage() {
    return Optional.ofNullable(damage);
  }

  /**
   * Why the journal refuses counts for now, if it does: its volume is full. Reports are still
   * recorded (in the space of the reserve); counts are taken again once the reserve can be made
   * anew, which is tried at most once a second, when a count arrives.
   */
  public Optional<String> full() {
    return Optional.ofNullable(full);
  }

  /** Why the journal stopped accepting writes, if it did. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * How long the commit in progress has been running; zero when none is. A sync that never returns
   * (a hung volume) shows here, for the liveness probe.
   */
  public Duration commitRunning() {
    long started = commitStartedNanos;
    return started == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started);
  }

  public void setObserver(Observer observer) {
    this.observer = observer;
  }

  /** Records images a client posted; returns once durable. */
  public JournalState accept(long images) throws JournalException {
    if (images <= 0) {
      throw new IllegalArgumentException("images must be positive: " + images);
    }
    return append(Event.of(EventType.ACCEPT, images, clock.millis()));
  }

  /**
   * Records a scraped counter's new value and the images it added, in one event, so that a crash
   * never separates a count from the baseline it was measured from.
   */
  public JournalState observe(long images, double counter) throws JournalException {
    return append(new Event(EventType.OBSERVE, images, clock.millis(), counter));
  }

  /** Durably opens a report of {@code images}. */
  public JournalState beginSend(long images) throws JournalException {
    return append(Event.of(EventType.SEND, images, clock.millis()));
  }

  /** Durably closes the open report: BFL recorded it. */
  public JournalState reported(long images) throws JournalException {
    return append(Event.of(EventType.REPORTED, images, clock.millis()));
  }

  /** Durably closes the open report: BFL certainly did not record it. */
  public JournalState cancel(long images) throws JournalException {
    return append(Event.of(EventType.CANCEL, images, clock.millis()));
  }

  /** Durably closes the open report: BFL may or may not have recorded it. */
  public JournalState ambiguous(long images) throws JournalException {
    return append(Event.of(EventType.AMBIGUOUS, images, clock.millis()));
  }

  /**
   * ComfyUI counting: records each finished prompt's saved images (none is a count too: the prompt
   * is then known) together with its key, in one group commit; returns once all are durable. A
   * prompt already counted is left out. A crash can keep some of a group and drop the rest, never
   * half of one prompt.
   *
   * @return the state after the last of them
   */
  public JournalState countPrompts(Map<PromptKey, Long> imagesByPrompt) throws JournalException {
    List<Event> events = new ArrayList<>();
    long now = clock.millis();
    for (Map.Entry<PromptKey, Long> prompt : imagesByPrompt.entrySet()) {
      if (!prompts.contains(prompt.getKey())) {
        events.add(Event.prompt(EventType.PROMPT, prompt.getKey(), prompt.getValue(), now));
      }
    }
    return events.isEmpty() ? state : append(events);
  }

  /** The prompts counted (ComfyUI counting), as far back as ComfyUI's history can reach. */
  public PromptLedger prompts() {
    return prompts;
  }

  private JournalState append(Event event) throws JournalException {
    return append(List.of(event));
  }

  private JournalState append(List<Event> events) throws JournalException {
    EventType type = events.get(0).type();
    boolean count =
        type == EventType.ACCEPT || type == EventType.OBSERVE || type == EventType.PROMPT;
    if (count && full != null && !recovered()) {
      throw new JournalException("journal full: " + full + "; the count was not recorded", null);
    }
    List<CompletableFuture<JournalState>> done = new ArrayList<>(events.size());
    synchronized (queue) {
      if (failure != null || damage != null || closed) {
        throw unavailable();
      }
      for (Event event : events) {
        CompletableFuture<JournalState> future = new CompletableFuture<>();
        queue.add(new Pending(event, future));
        done.add(future);
      }
    }
    commitLock.lock();
    try {
      // An earlier leader may have committed these events while we waited for the lock.
      if (!done.get(done.size() - 1).isDone()) {
        commitQueued();
      }
    } finally {
      commitLock.unlock();
    }
    try {
      JournalState last = null;
      for (CompletableFuture<JournalState> future : done) {
        last = future.get();
      }
      return last;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalException("interrupted while waiting for the journal", e);
    } catch (ExecutionException e) {
      throw new JournalException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** Compacts to a checkpoint of {@code checkpoint} and the prompts remembered. Lock held. */
  private void rewrite(JournalState checkpoint) throws IOException {
    sequence = file.rewrite(checkpoint, sequence, prompts.keys(), clock.millis());
  }

  /** Whether the volume has room again: the reserve could be made anew. */
  private boolean recovered() {
    commitLock.lock();
    try {
      if (full == null) {
        return true;
      }
      if (System.nanoTime() - lastRecoveryNanos < 1_000_000_000L) {
        return false;
      }
      lastRecoveryNanos = System.nanoTime();
      file.ensureReserve();
      if (file.size() > file.baseSize()) {
        rewrite(state);
      }
      full = null;
      LOG.log(Level.INFO, "journal volume has space again: counts are taken");
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      commitLock.unlock();
    }
  }

  /** Commits everything queued, a group at a time. Called with the commit lock held. */
  private void commitQueued() {
    while (true) {
      List<Pending> group;
      synchronized (queue) {
        if (queue.isEmpty()) {
          return;
        }
        List<Pending> head = queue.subList(0, Math.min(queue.size(), MAX_GROUP));
        group = new ArrayList<>(head);
        head.clear();
      }
      commit(group);
    }
  }

  private void commit(List<Pending> group) {
    if (failure != null) {
      group.forEach(p -> p.done().completeExceptionally(unavailable()));
      return;
    }
    buffer.clear();
    JournalState next = state;
    long last = sequence;
    List<JournalState> states = new ArrayList<>(group.size());
    for (Pending pending : group) {
      JournalCodec.encode(pending.event(), ++last, buffer);
      next = next.apply(pending.event());
      states.add(next);
    }
    buffer.flip();
    long start = System.nanoTime();
    commitStartedNanos = start;
    try {
      appendOrUseReserve();
    } catch (IOException e) {
      if (isNoSpace(e)) {
        JournalException refused = new JournalException("journal full: " + full, e);
        group.forEach(p -> p.done().completeExceptionally(refused));
      } else {
        fail(e);
        group.forEach(p -> p.done().completeExceptionally(unavailable()));
      }
      return;
    } finally {
      commitStartedNanos = 0;
    }
    observer.groupCommitted(group.size(), System.nanoTime() - start);
    sequence = last;
    state = next;
    for (Pending pending : group) {
      if (pending.event().prompt() != null) {
        prompts.add(pending.event().prompt());
      }
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).done().complete(states.get(i));
    }
    compactIfLarge();
  }

  /**
   * Appends the buffered group. On a full volume the journal turns full (counts refused from now
   * on), gives the reserve back and tries once more, so that the group, and the reports after it,
   * still land.
   */
  private void appendOrUseReserve() throws IOException {
    try {
      file.append(buffer);
    } catch (IOException e) {
      if (!isNoSpace(e)) {
        throw e;
      }
      full = "the volume is full (" + e.getMessage() + ")";
      LOG.log(Level.ERROR, "journal volume full: counts are refused until it has space again");
      if (!file.releaseReserve()) {
        throw e;
      }
      buffer.rewind();
      file.append(buffer);
    }
  }

  private void compactIfLarge() {
    // While full, the log shrinks back to a checkpoint sooner, to stay within the reserve.
    long threshold = full == null ? compactAtBytes : JournalFile.RESERVE_BYTES / 4;
    // The prompts a checkpoint carries are not growth: compaction would only write them again.
    long carried = file.baseSize() - JournalCodec.CHECKPOINT_SIZE;
    if (file.size() - carried < threshold) {
      return;
    }
    try {
      rewrite(state);
    } catch (IOException e) {
      if (isNoSpace(e)) {
        full = "the volume is full (" + e.getMessage() + ")";
      } else {
        fail(e);
      }
    }
  }

  private void fail(IOException e) {
    failure = e.getClass().getSimpleName() + ": " + e.getMessage();
    LOG.log(Level.ERROR, "journal write failed; refusing further counts until restart", e);
  }

  private JournalException unavailable() {
    if (damage != null) {
      return new JournalException(damage, null);
    }
    return new JournalException(
        failure != null ? "journal failed earlier: " + failure : "journal is closed", null);
  }

  /**
   * Waits for commits in progress, replaces the log with a checkpoint and releases the journal.
   * Appends afterwards fail.
   */
  @Override
  public void close() throws IOException {
    synchronized (queue) {
      if (closed) {
        return;
      }
      closed = true;
    }
    commitLock.lock();
    try {
      commitQueued();
      if (failure == null && damage == null) {
        try {
          rewrite(state);
        } catch (IOException e) {
          // A full volume: the log stays as it is, whole, for the next start.
          if (!isNoSpace(e)) {
            throw e;
          }
        }
      }
    } finally {
      commitLock.unlock();
      file.close();
    }
  }
}
