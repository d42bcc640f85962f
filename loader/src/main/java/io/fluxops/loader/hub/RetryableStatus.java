package io.fluxops.loader.hub;

import java.io.IOException;
import java.time.Duration;

/** An answer worth another try (408, 429, 5xx, an expired file URL), with the wait it asked. */
public final class RetryableStatus extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  RetryableStatus(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** The least wait the server asked for, or zero. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
