package io.fluxops.metering.journal;

import java.util.Optional;

/**
 * What reading the journal at start found.
 *
 * @param state the counts the journal held, before crash recovery; with {@code damage}, the counts
 *     of the records before it, which are not the whole story
 * @param records how many intact records were read
 * @param tornBytes bytes at the end that were not a whole record: a write the crash interrupted,
 *     which was never acknowledged and is dropped
 * @param sequence the sequence number of the last record read
 * @param damage what is damaged, when something other than a torn last write is: a damaged
 *     checkpoint, a damaged record followed by intact ones, a record repeated or missing
 * @param prompts the prompts the records say were counted (ComfyUI counting; empty otherwise)
 */
public record Replay(
    JournalState state,
    int records,
    long tornBytes,
    long sequence,
    Optional<String> damage,
    PromptLedger prompts) {

  static Replay empty() {
    return new Replay(JournalState.EMPTY, 0, 0, 0, Optional.empty(), new PromptLedger());
  }

  static Replay damaged(
      JournalState state, int records, long sequence, String damage, PromptLedger prompts) {
    return new Replay(state, records, 0, sequence, Optional.of(damage), prompts);
  }
}
