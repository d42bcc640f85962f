package io.fluxops.metering.http;

import io.fluxops.metering.metrics.MeteringMetrics.RejectReason;

/**
 * A usage request the sidecar answers with an error, having recorded nothing.
 *
 * @param status the HTTP status
 * @param reason the metric label
 * @param detail the message for the client, in BFL's {@code detail} field
 */
record RequestRejected(int status, RejectReason reason, String detail) {}
