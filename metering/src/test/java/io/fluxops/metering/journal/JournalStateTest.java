package io.fluxops.metering.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JournalStateTest {
  private static final long NOV_30 = Instant.parse("2026-11-30T23:59:59Z").toEpochMilli();
  private static final long DEC_1 = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

  @Test
  void pendingIsAcceptedMinusReportedIncludingTheReportInFlight() {
    JournalState state =
        JournalState.EMPTY
            .apply(Event.of(EventType.ACCEPT, 5, NOV_30))
            .apply(Event.of(EventType.ACCEPT, 3, NOV_30))
            .apply(Event.of(EventType.SEND, 8, NOV_30));

    assertThat(state.pending()).isEqualTo(8);
    assertThat(state.inFlight()).isEqualTo(8);

    JournalState reported = state.apply(Event.of(EventType.REPORTED, 8, NOV_30 + 1));
    assertThat(reported.pending()).isZero();
    assertThat(reported.inFlight()).isZero();
    assertThat(reported.lastReportAtMillis()).isEqualTo(NOV_30 + 1);
    assertThat(reported.lastReportImages()).isEqualTo(8);
  }

  @Test
  void aCancelledReportStaysPendingAndAnAmbiguousOneIsCountedAsPossiblyDuplicated() {
    JournalState sent =
        JournalState.EMPTY
            .apply(Event.of(EventType.ACCEPT, 4, NOV_30))
            .apply(Event.of(EventType.SEND, 4, NOV_30));

    JournalState cancelled = sent.apply(Event.of(EventType.CANCEL, 4, NOV_30));
    assertThat(cancelled.pending()).isEqualTo(4);
    assertThat(cancelled.possiblyDuplicated()).isZero();

    JournalState ambiguous = sent.apply(Event.of(EventType.AMBIGUOUS, 4, NOV_30));
    assertThat(ambiguous.pending()).isEqualTo(4);
    assertThat(ambiguous.inFlight()).isZero();
    assertThat(ambiguous.possiblyDuplicated()).isEqualTo(4);
  }

  @Test
  void aReportOpenAtACrashStaysPendingAndCountsAsPossiblyDuplicated() {
    JournalState crashed =
        JournalState.EMPTY
            .apply(Event.of(EventType.ACCEPT, 7, NOV_30))
            .apply(Event.of(EventType.SEND, 7, NOV_30));

    JournalState recovered = crashed.recoveredAfterCrash();

    assertThat(recovered.pending()).isEqualTo(7);
    assertThat(recovered.inFlight()).isZero();
    assertThat(recovered.possiblyDuplicated()).isEqualTo(7);
    assertThat(JournalState.EMPTY.recoveredAfterCrash()).isEqualTo(JournalState.EMPTY);
  }

  @Test
  void monthToDateResetsOnTheFirstOfTheMonthUtc() {
    JournalState november = JournalState.EMPTY.apply(Event.of(EventType.ACCEPT, 10, NOV_30));

    assertThat(november.monthToDate(Instant.ofEpochMilli(NOV_30))).isEqualTo(10);
    assertThat(november.monthToDate(Instant.ofEpochMilli(DEC_1))).isZero();

    JournalState december = november.apply(Event.of(EventType.ACCEPT, 2, DEC_1));
    assertThat(december.monthToDate(Instant.ofEpochMilli(DEC_1))).isEqualTo(2);
    assertThat(december.accepted()).isEqualTo(12);
    assertThat(december.yearMonth()).hasToString("2026-12");
  }

  @Test
  void aLateEventDoesNotReopenThePreviousMonth() {
    JournalState december =
        JournalState.EMPTY
            .apply(Event.of(EventType.ACCEPT, 2, DEC_1))
            .apply(Event.of(EventType.ACCEPT, 5, NOV_30));

    assertThat(december.monthToDate(Instant.ofEpochMilli(DEC_1))).isEqualTo(2);
    assertThat(december.accepted()).isEqualTo(7);
  }

  @Test
  void observedCounterValuesMoveTheBaselineEvenWithoutAnIncrease() {
    JournalState state =
        JournalState.EMPTY
            .apply(new Event(EventType.OBSERVE, 40, NOV_30, 40.0))
            .apply(new Event(EventType.OBSERVE, 0, NOV_30, 0.0));

    assertThat(state.accepted()).isEqualTo(40);
    assertThat(state.lastCounter()).isEqualTo(0.0);
  }
}
