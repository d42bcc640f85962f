package io.fluxops.loader.status;

import io.fluxops.loader.outcome.Reason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How far a load is, shared by the download threads and the {@code /status} server. Bytes count
 * what is on the claim and verified or being verified, so a resumed load starts where the last one
 * stopped.
 */
public final class Progress {
  private final String repo;
  private final String revision;
  private final LongSupplier nanoTime;
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicLong bytesFetched = new AtomicLong();
  private final AtomicInteger filesDone = new AtomicInteger();
  private volatile Phase phase = Phase.RESOLVING;
  private volatile String commit = "";
  private volatile long bytesTotal;
  private volatile int filesTotal;
  private volatile long downloadStartNanos;
  private volatile Reason reason;
  private volatile String message = "";

  public Progress(String repo, String revision, LongSupplier nanoTime) {
    this.repo = repo;
    this.revision = revision;
    this.nanoTime = nanoTime;
  }

  public void resolved(String commit, long bytesTotal, int filesTotal) {
    this.commit = commit;
    this.bytesTotal = bytesTotal;
    this.filesTotal = filesTotal;
  }

  public void downloading() {
    downloadStartNanos = nanoTime.getAsLong();
    phase = Phase.DOWNLOADING;
  }

  /** Bytes now on the claim for this load: verified, resumed, or just received. */
  public void added(long bytes) {
    bytesDone.addAndGet(bytes);
  }

  /** Bytes received from the network (not resumed ones): the throughput. */
  public void fetched(long bytes) {
    bytesFetched.addAndGet(bytes);
    bytesDone.addAndGet(bytes);
  }

  /** Bytes that turned out wrong and are fetched again. */
  public void discarded(long bytes) {
    bytesDone.addAndGet(-bytes);
  }

  public void fileDone() {
    filesDone.incrementAndGet();
  }

  public void complete() {
    bytesDone.set(bytesTotal);
    filesDone.set(filesTotal);
    phase = Phase.COMPLETE;
  }

  public void failed(Reason reason, String message) {
    this.reason = reason;
    this.message = message;
    phase = Phase.FAILED;
  }

  public Phase phase() {
    return phase;
  }

  public String commit() {
    return commit;
  }

  public long bytesDone() {
    return bytesDone.get();
  }

  public long bytesTotal() {
    return bytesTotal;
  }

  public long bytesFetched() {
    return bytesFetched.get();
  }

  /** The document {@code /status} serves and the operator reads. */
  public Map<String, Object> document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("phase", phase.label());
    doc.put("repo", repo);
    doc.put("revision", revision);
    doc.put("commit", commit);
    doc.put("bytesDone", bytesDone.get());
    doc.put("bytesTotal", bytesTotal);
    doc.put("filesDone", filesDone.get());
    doc.put("filesTotal", filesTotal);
    doc.put("bytesPerSecond", bytesPerSecond());
    doc.put("reason", reason == null ? "" : reason.conditionReason());
    doc.put("message", message);
    return doc;
  }

  private long bytesPerSecond() {
    long start = downloadStartNanos;
    long elapsed = nanoTime.getAsLong() - start;
    if (start == 0 || elapsed <= 0) {
      return 0;
    }
    return (long) (bytesFetched.get() / (elapsed / 1e9));
  }
}
