package io.fluxops.metering.journal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The prompts the journal counted, newest last, at most {@link #CAPACITY} of them: enough to cover
 * every prompt ComfyUI can still list. ComfyUI keeps at most {@code MAXIMUM_HISTORY_SIZE} (10,000)
 * prompts in its history and drops the oldest first ({@code PromptQueue.task_done} in
 * execution.py), so a prompt pushed out of this ledger has long left ComfyUI's history and cannot
 * be seen, and counted, again. Rebuilt from the journal's records at start, carried across
 * compaction. Thread-safe.
 */
public final class PromptLedger {
  /** ComfyUI's history holds up to 10,001 entries (it trims before adding); a margin above that. */
  public static final int CAPACITY = 10_240;

  private final LinkedHashSet<PromptKey> keys = new LinkedHashSet<>();
  private final int capacity;

  PromptLedger() {
    this(CAPACITY);
  }

  PromptLedger(int capacity) {
    this.capacity = capacity;
  }

  /** Whether the prompt was counted. */
  public synchronized boolean contains(PromptKey key) {
    return keys.contains(key);
  }

  /** How many prompts are remembered. */
  public synchronized int size() {
    return keys.size();
  }

  synchronized void add(PromptKey key) {
    if (keys.add(key) && keys.size() > capacity) {
      Iterator<PromptKey> oldest = keys.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** The remembered prompts, oldest first: what a compaction writes after its checkpoint. */
  synchronized List<PromptKey> keys() {
    return new ArrayList<>(keys);
  }
}
