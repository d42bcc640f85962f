package io.fluxops.loader.hub;

import java.io.IOException;
import java.io.InputStream;

/**
 * An open ranged download: the body streams bytes from {@link #start()}, which is the offset asked
 * for, or 0 when the host ignored the Range header and sends the whole file.
 */
public final class Segment implements AutoCloseable {
  private final HttpAnswer answer;
  private final long start;

  Segment(HttpAnswer answer, long start) {
    this.answer = answer;
    this.start = start;
  }

  public long start() {
    return start;
  }

  /** Whether the host ignored Range and sends the whole file (200, not 206). */
  public boolean whole() {
    return answer.status() == 200;
  }

  public InputStream body() throws IOException {
    return answer.body();
  }

  /** Call after reading every byte asked for: the connection is then kept for the next segment. */
  public void finished() {
    answer.finished();
  }

  @Override
  public void close() {
    answer.close();
  }
}
