package io.fluxops.metering.journal;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The counts the journal's events add up to. Immutable; {@link #apply} is the only way the counts
 * change, on replay exactly as at run time.
 *
 * @param accepted images accepted since the journal was created
 * @param reported images BFL confirmed
 * @param inFlight images in the report currently being sent (0 when none)
 * @param possiblyDuplicated images in reports whose outcome was unknown (timeout, reset, crash
 *     mid-send) and that were sent again: BFL may have counted them twice
 * @param month the UTC month {@code monthToDate} counts, as {@code year * 12 + month - 1}; -1 when
 *     nothing was accepted yet
 * @param monthToDate images accepted in {@code month}
 * @param lastCounter metric mode: the last value seen of the scraped counter; NaN before the first
 * @param lastReportAtMillis when BFL last confirmed a report, epoch milliseconds; 0 if never
 * @param lastReportImages how many images that report carried
 */
public record JournalState(
    long accepted,
    long reported,
    long inFlight,
    long possiblyDuplicated,
    long month,
    long monthToDate,
    double lastCounter,
    long lastReportAtMillis,
    long lastReportImages) {

  /** A new journal's state. */
  public static final JournalState EMPTY = new JournalState(0, 0, 0, 0, -1, 0, Double.NaN, 0, 0);

  /** Images accepted and not yet confirmed by BFL, including those in flight. */
  public long pending() {
    return accepted - reported;
  }

  /** Images accepted in the UTC month of {@code now}: zero once a new month has begun. */
  public long monthToDate(Instant now) {
    return month == monthIndex(now.toEpochMilli()) ? monthToDate : 0;
  }

  /** The state after {@code event}. */
  public JournalState apply(Event event) {
    long n = event.images();
    return switch (event.type()) {
      case ACCEPT, PROMPT -> added(n, event.atMillis(), lastCounter);
      case REMEMBER -> this;
      case OBSERVE -> added(n, event.atMillis(), event.counter());
      case SEND -> withInFlight(n, possiblyDuplicated);
      case CANCEL -> withInFlight(0, possiblyDuplicated);
      case AMBIGUOUS -> withInFlight(0, possiblyDuplicated + n);
      case REPORTED ->
          new JournalState(
              accepted,
              reported + n,
              0,
              possiblyDuplicated,
              month,
              monthToDate,
              lastCounter,
              event.atMillis(),
              n);
    };
  }

  /**
   * The state to resume from after the process died. A report still open was sent, or not, and BFL
   * may have counted it: it stays pending (so it is never lost) and is counted as possibly
   * duplicated (so the double reporting this can cause is visible).
   */
  public JournalState recoveredAfterCrash() {
    return inFlight == 0 ? this : withInFlight(0, possiblyDuplicated + inFlight);
  }

  private JournalState added(long n, long atMillis, double counter) {
    long eventMonth = monthIndex(atMillis);
    // Counts land in the month they were accepted in; a late event never reopens an old month.
    long newMonth = Math.max(month, eventMonth);
    long newMonthToDate =
        eventMonth == month ? monthToDate + n : (eventMonth > month ? n : monthToDate);
    return new JournalState(
        accepted + n,
        reported,
        inFlight,
        possiblyDuplicated,
        newMonth,
        newMonthToDate,
        counter,
        lastReportAtMillis,
        lastReportImages);
  }

  private JournalState withInFlight(long images, long duplicated) {
    return new JournalState(
        accepted,
        reported,
        images,
        duplicated,
        month,
        monthToDate,
        lastCounter,
        lastReportAtMillis,
        lastReportImages);
  }

  /** {@code year * 12 + month - 1} of the UTC month containing {@code epochMillis}. */
  static long monthIndex(long epochMillis) {
    YearMonth month = YearMonth.from(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
    return month.getYear() * 12L + month.getMonthValue() - 1;
  }

  /** The month {@code monthIndex} stands for, or null for -1. */
  public YearMonth yearMonth() {
    return month < 0 ? null : YearMonth.of((int) (month / 12), (int) (month % 12) + 1);
  }
}
