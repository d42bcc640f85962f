package io.fluxops.metering.reporter;

import java.util.Locale;

/** What BFL last said about the key and the model. */
public enum LicenseState {
  /** Nothing sent yet, or the key changed since BFL last answered. */
  UNKNOWN,
  /** BFL recorded a report with this key. */
  VALID,
  /** BFL refused the key (401/403): reports stop until the key file changes. */
  REFUSED,
  /** BFL rejected the report itself (e.g. 400 for an unknown slug): retried slowly. */
  REJECTED;

  /** Lower-case name, as shown in metrics and {@code /status}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
