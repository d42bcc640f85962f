package io.fluxops.metering.journal;

/**
 * What reading the journal at start found.
 *
 * @param state the counts the journal held, before crash recovery
 * @param records how many intact records were read
 * @param tornBytes bytes at the end that were not a whole record: a write the crash interrupted,
 *     which was never acknowledged and is dropped
 * @param skippedBytes damaged bytes between intact records, skipped; should always be 0
 */
public record Replay(JournalState state, int records, long tornBytes, long skippedBytes) {}
