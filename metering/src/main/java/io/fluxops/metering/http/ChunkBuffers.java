package io.fluxops.metering.http;

import java.util.ArrayDeque;

/**
 * The proxy's chunk buffers, two to an answer (the hold-back needs the chunk before the last):
 * taken when a body starts to flow and given back when it ends, so that the many requests waiting
 * for the server hold none and only the bodies streaming at the moment do. A few pairs are kept for
 * the next bodies; a burst beyond them allocates pairs that are dropped after use.
 */
final class ChunkBuffers {
  private final int size;
  private final int kept;
  private final ArrayDeque<byte[][]> free = new ArrayDeque<>();

  /**
   * @param size bytes of each buffer
   * @param kept pairs kept between bodies at most
   */
  ChunkBuffers(int size, int kept) {
    this.size = size;
    this.kept = kept;
  }

  /** Two buffers of {@code size} bytes, this body's until {@link #give} is called. */
  synchronized byte[][] take() {
    byte[][] pair = free.poll();
    return pair != null ? pair : new byte[][] {new byte[size], new byte[size]};
  }

  synchronized void give(byte[][] pair) {
    if (free.size() < kept) {
      free.push(pair);
    }
  }
}
