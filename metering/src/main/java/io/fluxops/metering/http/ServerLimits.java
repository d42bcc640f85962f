package io.fluxops.metering.http;

import java.time.Duration;

/**
 * Limits of the JDK's HTTP server, which it reads from system properties once, when its first
 * server is created; so they are set here, before that. Together they keep a slow or idle client
 * from holding a handler thread or a connection slot for long: the server reads a request's headers
 * and body on a handler thread, so without a deadline eight clients that send a byte at a time held
 * every thread forever.
 */
public final class ServerLimits {
  /**
   * The longest a request may take to arrive, headers and body; past it the connection is closed
   * and its thread freed. A POST of a count takes microseconds on loopback, a probe as long.
   */
  public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(5);

  /** Connections one server keeps at once; a connection beyond them is closed on accept. */
  static final int MAX_CONNECTIONS = 64;

  /** How long a keep-alive connection may stay idle, and a new one silent, before it is closed. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** Idle keep-alive connections kept at most, per server. */
  static final int MAX_IDLE_CONNECTIONS = 16;

  /** Headers one request may carry, in count and bytes (the JDK's defaults: 200 and 380 KiB). */
  static final int MAX_HEADERS = 64;

  static final int MAX_HEADER_BYTES = 32 * 1024;

  private ServerLimits() {}

  /**
   * Sets the properties unless a {@code -D} on the command line set them already. Must run before
   * the process creates its first JDK HTTP server, of any kind.
   */
  public static void apply() {
    set("sun.net.httpserver.maxReqTime", Long.toString(REQUEST_DEADLINE.toSeconds()));
    set("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    set("sun.net.httpserver.idleInterval", Long.toString(IDLE_TIMEOUT.toSeconds()));
    set("sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_IDLE_CONNECTIONS));
    set("sun.net.httpserver.maxReqHeaders", Integer.toString(MAX_HEADERS));
    set("sun.net.httpserver.maxReqHeaderSize", Integer.toString(MAX_HEADER_BYTES));
    // The timers that enforce the deadline and the idle timeout look every second (default: 10 s).
    set("sun.net.httpserver.clockTick", "1000");
    set("sun.net.httpserver.timerMillis", "1000");
    // Without TCP_NODELAY the server's separate header and body writes meet the client's delayed
    // ACK: every answer waits ~40 ms.
    set("sun.net.httpserver.nodelay", "true");
  }

  private static void set(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
