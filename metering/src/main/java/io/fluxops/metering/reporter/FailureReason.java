package io.fluxops.metering.reporter;

import java.util.Locale;

/** Why a report failed: the bounded {@code reason} label of the failure metric. */
public enum FailureReason {
  /** 429. */
  RATE_LIMITED,
  /** 5xx. */
  SERVER_ERROR,
  /** Connect or response timeout, or 408. */
  TIMEOUT,
  /** Connection refused, reset or closed, TLS or DNS failure. */
  CONNECTION,
  /** 401 or 403: the key. */
  REFUSED,
  /** Any other answer: BFL does not accept the report as sent. */
  REJECTED,
  /** The journal could not record the report's progress. */
  JOURNAL,
  /** A fault of the sidecar itself (an unexpected exception): logged with its trace, retried. */
  INTERNAL;

  /** Lower-case name, as used in labels and {@code /status}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
