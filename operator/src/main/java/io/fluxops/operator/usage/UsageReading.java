package io.fluxops.operator.usage;

import io.fluxops.operator.api.CostStatus;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.api.UsageStatus;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * A FluxDeployment's usage and cost as of one poll, already rounded to what its status shows: the
 * polling event source triggers a reconcile only when this changes, so an idle FluxDeployment costs
 * no reconcile and no write.
 *
 * @param lastReportTime RFC 3339, or null when BFL never confirmed a report
 * @param perImageUsd null while no image was made in the window
 * @param metering how the sidecars fare, for the Metering condition; null when not known
 */
public record UsageReading(
    long acceptedTotal,
    long reportedTotal,
    long pending,
    long monthToDate,
    String lastReportTime,
    Double perImageUsd,
    double apiPerImageUsd,
    MeteringHealth metering) {

  /**
   * Cost per image is shown to three significant digits ($0.00276): enough to compare with the
   * API's price, and it changes only at polls that counted images, so idle costs no writes.
   */
  static final MathContext COST_DIGITS = new MathContext(3, RoundingMode.HALF_UP);

  static Double round(Double usd) {
    return usd == null || usd.isNaN() || usd.isInfinite()
        ? null
        : BigDecimal.valueOf(usd).round(COST_DIGITS).doubleValue();
  }

  /** The reading a previous operator wrote, so a restart continues from it. */
  static Optional<UsageReading> from(FluxDeploymentStatus status) {
    UsageStatus u = status.getUsage();
    CostStatus c = status.getCost();
    if (u == null || u.getAcceptedTotal() == null || c == null) {
      return Optional.empty();
    }
    return Optional.of(
        new UsageReading(
            u.getAcceptedTotal(),
            u.getReportedTotal() == null ? 0 : u.getReportedTotal(),
            u.getPending() == null ? 0 : u.getPending(),
            u.getMonthToDate() == null ? 0 : u.getMonthToDate(),
            u.getLastReportTime(),
            c.getPerImageUsd(),
            c.getApiPerImageUsd() == null ? 0 : c.getApiPerImageUsd(),
            null));
  }

  /** Writes this reading into {@code status.usage} and {@code status.cost}. */
  public void applyTo(FluxDeploymentStatus status) {
    UsageStatus usage = new UsageStatus();
    usage.setAcceptedTotal(acceptedTotal);
    usage.setReportedTotal(reportedTotal);
    usage.setPending(pending);
    usage.setMonthToDate(monthToDate);
    usage.setLastReportTime(lastReportTime);
    status.setUsage(usage);
    CostStatus cost = new CostStatus();
    cost.setPerImageUsd(perImageUsd);
    cost.setApiPerImageUsd(apiPerImageUsd);
    status.setCost(cost);
  }
}
