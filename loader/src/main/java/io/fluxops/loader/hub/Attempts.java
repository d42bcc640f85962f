package io.fluxops.loader.hub;

import io.fluxops.loader.outcome.LoadFailure;
import io.fluxops.loader.outcome.Reason;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Counts failed tries of one operation and waits between them; after the last it gives up with
 * {@link Reason#HUB_UNREACHABLE}. A download calls {@link #progressed()} when bytes arrive, so a
 * link that drops now and then finishes, while one that never delivers stops.
 */
public final class Attempts {
  private static final System.Logger LOG = System.getLogger(Attempts.class.getName());

  private final int max;
  private final Backoff backoff;
  private final String host;
  private int failed;

  Attempts(int max, Backoff backoff, String host) {
    this.max = max;
    this.backoff = backoff;
    this.host = host;
  }

  /**
   * Records a failed try of {@code what}; waits before the next one, or throws when none is left.
   *
   * @param floor the least wait the server asked for (Retry-After), or zero
   */
  public void failed(String what, String problem, Duration floor)
      throws LoadFailure, InterruptedException {
    failed++;
    if (failed >= max) {
      throw new LoadFailure(
          Reason.HUB_UNREACHABLE,
          "could not "
              + what
              + " from "
              + host
              + " in "
              + failed
              + " tries ("
              + problem
              + "): check the cluster's egress to "
              + host
              + " (DNS, proxy, NetworkPolicy) or the Hub's status page");
    }
    LOG.log(
        Level.WARNING,
        "could not " + what + " (" + problem + "); try " + (failed + 1) + " of " + max + " soon");
    backoff.pause(failed, floor);
  }

  /** The operation made progress: the tries start over. */
  public void progressed() {
    failed = 0;
  }
}
