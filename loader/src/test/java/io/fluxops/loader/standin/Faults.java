package io.fluxops.loader.standin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults the stand-in injects, each for a number of requests: a connection cut mid-file, bytes that
 * do not match the checksum, a slow file host, a host that ignores Range, expired file URLs, and a
 * Hub that answers 503. Thread-safe: the loader downloads several files at once.
 */
public final class Faults {
  private final Map<String, Cut> cuts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> corruptions = new ConcurrentHashMap<>();
  private final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger expired = new AtomicInteger();
  private volatile long bytesPerSecond;
  private volatile boolean ignoreRange;

  private record Cut(long afterBytes, AtomicInteger times) {}

  /** The next {@code times} downloads of {@code path} stop after {@code afterBytes} of the body. */
  public Faults cutAfter(String path, long afterBytes, int times) {
    cuts.put(path, new Cut(afterBytes, new AtomicInteger(times)));
    return this;
  }

  /** The next {@code times} downloads of {@code path} carry one altered byte. */
  public Faults corrupt(String path, int times) {
    corruptions.put(path, new AtomicInteger(times));
    return this;
  }

  /** The file host sends at most this many bytes a second per request (0: no limit). */
  public Faults bytesPerSecond(long rate) {
    bytesPerSecond = rate;
    return this;
  }

  /** The file host answers 200 with the whole file to every Range request. */
  public Faults ignoreRange(boolean ignore) {
    ignoreRange = ignore;
    return this;
  }

  /** The next {@code times} requests to the Hub answer 503. */
  public Faults unavailable(int times) {
    unavailable.set(times);
    return this;
  }

  /** The next {@code times} file URLs have expired when used (403 from the file host). */
  public Faults expireUrls(int times) {
    expired.set(times);
    return this;
  }

  long cutAfter(String path) {
    Cut cut = cuts.get(path);
    return cut != null && take(cut.times()) ? cut.afterBytes() : -1;
  }

  boolean corrupts(String path) {
    AtomicInteger times = corruptions.get(path);
    return times != null && take(times);
  }

  boolean unavailableNow() {
    return take(unavailable);
  }

  boolean expiredNow() {
    return take(expired);
  }

  long bytesPerSecond() {
    return bytesPerSecond;
  }

  boolean ignoresRange() {
    return ignoreRange;
  }

  private static boolean take(AtomicInteger times) {
    return times.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }
}
