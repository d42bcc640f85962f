package io.fluxops.metering.reporter;

import java.time.Instant;

/**
 * The last failure, as {@code /status} shows it.
 *
 * @param at when it happened
 * @param reason the failure's class
 * @param message what happened; never contains the key
 */
public record ReportError(Instant at, FailureReason reason, String message) {}
