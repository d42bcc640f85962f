package io.fluxops.tools.sandbox;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * SIMULATED: the inference server of one pod, with the clients that reach it. Each makes no images:
 * an "image" holds the pod's one GPU for the GPU type's time per image, scaled down for the demo,
 * and what it answers is what the real server's API documents.
 */
interface StandInServer extends AutoCloseable {

  /**
   * One client's request for one image, sent where the pod's clients send it; false once the pod is
   * stopping.
   */
  boolean submit();

  /** Requests sent and not yet answered or made: what the server's queue holds. */
  int queueDepth();

  /** Images the server made (delivered, for a server whose answers carry them). */
  long generated();

  /** Stops taking requests (the pod is terminating); what was accepted is still worked off. */
  void stopAccepting();

  /** Waits until every accepted request is made and answered. */
  default boolean awaitDrained(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (queueDepth() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return queueDepth() == 0;
  }

  @Override
  void close();
}
