package io.fluxops.metering.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The server's response body on its way to the client, one chunk behind: every chunk read is shown
 * to a reader and passed on, except the last, which waits for {@link #release()}. That is what lets
 * the proxy journal a response's images before the client has all of it, so that a crash never
 * loses an image that was delivered. The two chunk buffers are the caller's, reused from answer to
 * answer; the reader sees them in place, so nothing is copied on the way but into the socket.
 */
final class HoldBack {
  /** Sees each chunk of the body, in the buffer it was read into. */
  interface Reader {
    void read(byte[] bytes, int offset, int length);
  }

  private final InputStream in;
  private final OutputStream out;
  private final long expected;
  private byte[] held;
  private byte[] next;
  private int heldLength;
  private long seen;
  private boolean ended;

  /**
   * @param expected the response's Content-Length, or -1 when it has none
   * @param buffers two arrays of the same size, this answer's while it lasts
   */
  HoldBack(InputStream in, OutputStream out, long expected, byte[][] buffers) {
    this.in = in;
    this.out = out;
    this.expected = expected;
    this.held = buffers[0];
    this.next = buffers[1];
  }

  /**
   * Reads the body to its end, showing every chunk to {@code reader}, passing on all but the last.
   */
  void pump(Reader reader) throws IOException {
    int n;
    while ((n = in.read(next, 0, next.length)) >= 0) {
      if (n == 0) {
        continue;
      }
      reader.read(next, 0, n);
      out.write(held, 0, heldLength);
      byte[] swap = held;
      held = next;
      next = swap;
      heldLength = n;
      seen += n;
    }
    ended = true;
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
