package io.fluxops.operator.usage;

import io.fluxops.operator.api.UsageStatus;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One FluxDeployment's image counts, summed over its sidecars so that the totals never go back: a
 * pod that goes away, or a sidecar that starts again from zero, leaves its last counts in a retired
 * part of the sum; a pod that cannot be read keeps its last counts (never zeroed). Pure and not
 * thread-safe: one poll at a time per FluxDeployment.
 */
public final class UsageLedger {

  /** Counts of the pods gone, or of sidecars that started over. */
  private long retiredAccepted;

  private long retiredReported;
  private YearMonth retiredMonth;
  private long retiredMonthToDate;
  private final Map<String, SidecarStatus> pods = new HashMap<>();
  private Optional<Instant> lastReportTime = Optional.empty();
  private boolean restored;

  /**
   * Takes a poll's results.
   *
   * @param existing the pods that exist now (read or not)
   * @param read the pods read successfully in this poll, by name
   */
  public void update(Set<String> existing, Map<String, SidecarStatus> read) {
    for (var it = pods.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!existing.contains(e.getKey())) {
        retire(e.getValue());
        it.remove();
      }
    }
    read.forEach(
        (pod, now) -> {
          SidecarStatus before = pods.get(pod);
          if (before != null && now.accepted() < before.accepted()) {
            retire(before);
          }
          pods.put(pod, now);
          now.lastReportTime()
              .filter(t -> lastReportTime.map(t::isAfter).orElse(true))
              .ifPresent(t -> lastReportTime = Optional.of(t));
        });
  }

  /**
   * Continues from totals a previous operator wrote, so a restart does not count down. Applies
   * once, after the first poll.
   */
  public void restoreFloor(UsageStatus previous) {
    if (restored || previous == null) {
      return;
    }
    restored = true;
    long accepted = accepted();
    long reported = reported();
    if (previous.getAcceptedTotal() != null && previous.getAcceptedTotal() > accepted) {
      retiredAccepted += previous.getAcceptedTotal() - accepted;
    }
    if (previous.getReportedTotal() != null && previous.getReportedTotal() > reported) {
      retiredReported += previous.getReportedTotal() - reported;
    }
    if (lastReportTime.isEmpty() && previous.getLastReportTime() != null) {
      try {
        lastReportTime = Optional.of(Instant.parse(previous.getLastReportTime()));
      } catch (RuntimeException e) {
        // An unreadable time is left out, not fatal.
      }
    }
  }

  /** Whether any sidecar was ever read. */
  public boolean known() {
    return !pods.isEmpty() || retiredAccepted > 0 || retiredReported > 0;
  }

  public long accepted() {
    return retiredAccepted + pods.values().stream().mapToLong(SidecarStatus::accepted).sum();
  }

  public long reported() {
    return retiredReported + pods.values().stream().mapToLong(SidecarStatus::reported).sum();
  }

  /** Images waiting to be reported by the pods that exist. */
  public long pending() {
    return pods.values().stream().mapToLong(SidecarStatus::pending).sum();
  }

  /** Images this calendar month, counting only counts of {@code month}. */
  public long monthToDate(YearMonth month) {
    long live =
        pods.values().stream()
            .filter(s -> month.equals(s.month()))
            .mapToLong(SidecarStatus::monthToDate)
            .sum();
    return live + (month.equals(retiredMonth) ? retiredMonthToDate : 0);
  }

  public Optional<Instant> lastReportTime() {
    return lastReportTime;
  }

  private void retire(SidecarStatus last) {
    retiredAccepted += last.accepted();
    retiredReported += last.reported();
    if (last.month() != null) {
      if (!last.month().equals(retiredMonth)) {
        if (retiredMonth == null || last.month().isAfter(retiredMonth)) {
          retiredMonth = last.month();
          retiredMonthToDate = last.monthToDate();
        }
      } else {
        retiredMonthToDate += last.monthToDate();
      }
    }
  }
}
