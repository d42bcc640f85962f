package io.fluxops.metering.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The server's response body on its way to the client, one chunk behind: whatever is read is passed
 * on except the last chunk, which waits for {@link #release()}. That is what lets the proxy journal
 * a response's images before the client has all of it, so that a crash never loses an image that
 * was delivered.
 */
final class HoldBack extends InputStream {
  private static final int CHUNK = 16 * 1024;

  private final InputStream in;
  private final OutputStream out;
  private final long expected;
  private byte[] held = new byte[CHUNK];
  private byte[] next = new byte[CHUNK];
  private int heldLength;
  private long seen;
  private boolean ended;

  /**
   * @param expected the response's Content-Length, or -1 when it has none
   */
  HoldBack(InputStream in, OutputStream out, long expected) {
    this.in = in;
    this.out = out;
    this.expected = expected;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (ended) {
      return -1;
    }
    int n = in.read(next, 0, Math.min(length, CHUNK));
    if (n < 0) {
      ended = true;
      return -1;
    }
    out.write(held, 0, heldLength);
    byte[] swap = held;
    held = next;
    next = swap;
    heldLength = n;
    seen += n;
    System.arraycopy(held, 0, buffer, offset, n);
    return n;
  }

  /** Reads (and passes on) up to {@code n} bytes, to the end of the body at most. */
  @Override
  public long skip(long n) throws IOException {
    byte[] sink = new byte[CHUNK];
    long skipped = 0;
    int read;
    while (skipped < n && (read = read(sink, 0, (int) Math.min(CHUNK, n - skipped))) >= 0) {
      skipped += read;
    }
    return skipped;
  }

  /** Whether the body ended as the server said it would: at its Content-Length, if it gave one. */
  boolean complete() {
    return ended && (expected < 0 || seen == expected);
  }

  /** Passes the held chunk on: the client has the whole body once the stream is closed. */
  void release() throws IOException {
    out.write(held, 0, heldLength);
    heldLength = 0;
  }
}
