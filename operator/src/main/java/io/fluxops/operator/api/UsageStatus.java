package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Image counts summed over the metering sidecars of a FluxDeployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UsageStatus {

  @JsonPropertyDescription("Images the sidecars accepted and journaled.")
  private Long acceptedTotal;

  @JsonPropertyDescription("Images BFL's usage API confirmed.")
  private Long reportedTotal;

  @JsonPropertyDescription("Images accepted but not yet confirmed.")
  private Long pending;

  @JsonPropertyDescription("Images this calendar month (UTC); BFL invoices months above 100,000.")
  private Long monthToDate;

  @JsonPropertyDescription("When a report last succeeded (RFC 3339).")
  private String lastReportTime;

  public Long getAcceptedTotal() {
    return acceptedTotal;
  }

  public void setAcceptedTotal(Long acceptedTotal) {
    this.acceptedTotal = acceptedTotal;
  }

  public Long getReportedTotal() {
    return reportedTotal;
  }

  public void setReportedTotal(Long reportedTotal) {
    this.reportedTotal = reportedTotal;
  }

  public Long getPending() {
    return pending;
  }

  public void setPending(Long pending) {
    this.pending = pending;
  }

  public Long getMonthToDate() {
    return monthToDate;
  }

  public void setMonthToDate(Long monthToDate) {
    this.monthToDate = monthToDate;
  }

  public String getLastReportTime() {
    return lastReportTime;
  }

  public void setLastReportTime(String lastReportTime) {
    this.lastReportTime = lastReportTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UsageStatus u
        && Objects.equals(acceptedTotal, u.acceptedTotal)
        && Objects.equals(reportedTotal, u.reportedTotal)
        && Objects.equals(pending, u.pending)
        && Objects.equals(monthToDate, u.monthToDate)
        && Objects.equals(lastReportTime, u.lastReportTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(acceptedTotal, reportedTotal, pending, monthToDate, lastReportTime);
  }
}
