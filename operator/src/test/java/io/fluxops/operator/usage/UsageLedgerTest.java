package io.fluxops.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.operator.api.UsageStatus;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {

  private static final YearMonth MAY = YearMonth.of(2026, 5);

  private static SidecarStatus counts(long accepted, long reported) {
    return confirmed(accepted, reported, accepted - reported, Optional.empty());
  }

  private static SidecarStatus confirmed(
      long accepted, long reported, long pending, Optional<Instant> lastReport) {
    return new SidecarStatus(
        accepted,
        reported,
        pending,
        MAY,
        accepted,
        lastReport,
        "valid",
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void sumsThePods() {
    UsageLedger ledger = new UsageLedger();
    ledger.update(Set.of("a", "b"), Map.of("a", counts(10, 8), "b", counts(5, 5)));

    assertThat(ledger.accepted()).isEqualTo(15);
    assertThat(ledger.reported()).isEqualTo(13);
    assertThat(ledger.pending()).isEqualTo(2);
    assertThat(ledger.monthToDate(MAY)).isEqualTo(15);
  }

  @Test
  void aPodThatCannotBeReadKeepsItsLastCounts() {
    UsageLedger ledger = new UsageLedger();
    ledger.update(Set.of("a", "b"), Map.of("a", counts(10, 8), "b", counts(5, 5)));
    ledger.update(Set.of("a", "b"), Map.of("a", counts(12, 12)));

    assertThat(ledger.accepted()).isEqualTo(17);
  }

  @Test
  void totalsNeverGoBackWhenAPodGoesAwayOrItsSidecarStartsOver() {
    UsageLedger ledger = new UsageLedger();
    ledger.update(Set.of("a", "b"), Map.of("a", counts(10, 10), "b", counts(5, 5)));
    ledger.update(Set.of("a"), Map.of("a", counts(11, 11))); // b scaled down
    assertThat(ledger.accepted()).isEqualTo(16);
    assertThat(ledger.monthToDate(MAY)).isEqualTo(16);

    ledger.update(Set.of("a"), Map.of("a", counts(2, 0))); // a's journal started over
    assertThat(ledger.accepted()).isEqualTo(18);
    assertThat(ledger.reported()).isEqualTo(16);
    assertThat(ledger.pending()).isEqualTo(2);
    // A new month counts only its own images.
    assertThat(ledger.monthToDate(MAY.plusMonths(1))).isZero();
  }

  @Test
  void aRestartedOperatorContinuesFromTheTotalsInStatus() {
    UsageStatus previous = new UsageStatus();
    previous.setAcceptedTotal(1000L);
    previous.setReportedTotal(990L);
    UsageLedger ledger = new UsageLedger();
    ledger.update(Set.of("c"), Map.of("c", counts(3, 1)));
    ledger.restoreFloor(previous);
    ledger.update(Set.of("c"), Map.of("c", counts(4, 4)));

    assertThat(ledger.accepted()).isEqualTo(1001);
    assertThat(ledger.reported()).isEqualTo(993);
  }

  @Test
  void keepsTheNewestReportTime() {
    UsageLedger ledger = new UsageLedger();
    Instant early = Instant.parse("2026-05-01T10:00:00Z");
    Instant late = Instant.parse("2026-05-01T11:00:00Z");
    ledger.update(
        Set.of("a", "b"),
        Map.of(
            "a", confirmed(1, 1, 0, Optional.of(late)),
            "b", confirmed(1, 1, 0, Optional.of(early))));

    assertThat(ledger.lastReportTime()).contains(late);
  }

  @Test
  void parsesTheSidecarsStatusDocument() throws Exception {
    SidecarStatus s =
        SidecarStatus.parse(
            "{\"model\":\"flux-1-dev\",\"accepted\":7,\"reported\":5,\"pending\":2,"
                + "\"month\":\"2026-05\",\"monthToDate\":7,\"invoicingThreshold\":100000,"
                + "\"licenseState\":\"valid\",\"lastReportTime\":\"2026-05-01T10:00:00Z\","
                + "\"lastError\":null}");

    assertThat(s).isEqualTo(confirmed(7, 5, 2, Optional.of(Instant.parse("2026-05-01T10:00:00Z"))));
  }
}
