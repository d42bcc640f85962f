package io.fluxops.metering.reporter;

/** Told about every report attempt, for metrics. */
public interface ReportListener {
  /** BFL recorded {@code images}; the call took {@code nanos}. */
  void recorded(long images, long nanos);

  /** An attempt failed for {@code reason}; the call took {@code nanos} (0 if none was made). */
  void failed(FailureReason reason, long nanos);
}
