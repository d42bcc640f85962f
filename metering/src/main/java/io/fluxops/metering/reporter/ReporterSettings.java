package io.fluxops.metering.reporter;

import java.time.Duration;

/**
 * How the reporter paces itself.
 *
 * @param interval time between reports while nothing is wrong
 * @param maxBatchImages the largest count in one report
 * @param reportTimeout the longest wait for one answer
 * @param backoff the waits between retries
 */
public record ReporterSettings(
    Duration interval, long maxBatchImages, Duration reportTimeout, Backoff backoff) {}
