package io.fluxops.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The scaler's memory between polls: the recommendations that are still inside a stabilization
 * window, and when it last changed the size. Immutable, small and bounded, so the operator can keep
 * it in the FluxDeployment's status or an annotation and hand it back after a restart.
 *
 * <p>Consecutive equal recommendations are stored once, stamped with the latest time they were
 * made: a run stays inside a window exactly as long as its last member does, so the windows behave
 * as if every poll had been kept. At most {@link #MAX_SAMPLES} runs are kept.
 *
 * @param samples recommendations, oldest first, each the last of a run of equal ones
 * @param lastScaleEpochSecond when the scaler last changed the size; {@code 0} for never
 */
public record ScalerState(
    List<Sample> samples, List<QueueSample> queue, long lastScaleEpochSecond) {

  /**
   * Upper bound on stored runs and on stored readings; a 300 s window polled every 5 s needs at
   * most 61. Past it the two oldest runs are merged into one holding the higher recommendation: a
   * longer window is then approximated on the safe side (shrinking waits, it never comes early).
   */
  public static final int MAX_SAMPLES = 64;

  private static final String VERSION = "v1";

  /** A recommendation made at a time. */
  public record Sample(long epochSecond, int replicas) {
    /** Validates the sample. */
    public Sample {
      if (replicas < 0) {
        throw new IllegalArgumentException("a recommendation is >= 0 replicas: " + replicas);
      }
    }
  }

  /** A queue depth read at a time, kept for the short average that shrinking looks at. */
  public record QueueSample(long epochSecond, double depth) {
    /** Validates the sample. */
    public QueueSample {
      if (!(depth >= 0) || Double.isInfinite(depth)) {
        throw new IllegalArgumentException("a queue depth is a finite number >= 0: " + depth);
      }
    }
  }

  /** Copies the samples so the state stays immutable, and keeps them within bounds. */
  public ScalerState {
    samples = mergeOldest(samples);
    queue = bounded(queue);
    for (int i = 1; i < samples.size(); i++) {
      if (samples.get(i).epochSecond() < samples.get(i - 1).epochSecond()) {
        throw new IllegalArgumentException("samples must be in time order: " + samples);
      }
    }
  }

  private static List<Sample> mergeOldest(List<Sample> samples) {
    Objects.requireNonNull(samples, "samples");
    if (samples.size() <= MAX_SAMPLES) {
      return List.copyOf(samples);
    }
    List<Sample> merged = new ArrayList<>(samples);
    while (merged.size() > MAX_SAMPLES) {
      Sample oldest = merged.remove(0);
      Sample next = merged.get(0);
      merged.set(0, new Sample(next.epochSecond(), Math.max(oldest.replicas(), next.replicas())));
    }
    return List.copyOf(merged);
  }

  private static <T> List<T> bounded(List<T> list) {
    Objects.requireNonNull(list, "list");
    return List.copyOf(
        list.size() > MAX_SAMPLES ? list.subList(list.size() - MAX_SAMPLES, list.size()) : list);
  }

  /** The memory of a scaler that has never run: windows empty, never scaled. */
  public static ScalerState initial() {
    return new ScalerState(List.of(), List.of(), 0);
  }

  /** The mean of the stored readings; 0 when there are none. */
  public double averageQueueDepth() {
    return queue.stream().mapToDouble(QueueSample::depth).average().orElse(0);
  }

  /** When the scaler last changed the size, if ever. */
  public Instant lastScaleTime() {
    return lastScaleEpochSecond == 0 ? null : Instant.ofEpochSecond(lastScaleEpochSecond);
  }

  /**
   * This state with a new recommendation recorded at {@code now}, and the runs that have left every
   * window dropped.
   */
  ScalerState record(Instant now, int recommendation, Duration keep) {
    long nowSecond = now.getEpochSecond();
    long cutoff = nowSecond - keep.getSeconds();
    List<Sample> kept = new ArrayList<>(samples.size() + 1);
    for (Sample s : samples) {
      if (s.epochSecond() > cutoff && s.epochSecond() <= nowSecond) {
        kept.add(s);
      }
    }
    if (!kept.isEmpty() && kept.get(kept.size() - 1).replicas() == recommendation) {
      kept.remove(kept.size() - 1);
    }
    kept.add(new Sample(nowSecond, recommendation));
    return new ScalerState(kept, queue, lastScaleEpochSecond);
  }

  /** This state with a queue reading added and readings older than {@code keep} dropped. */
  ScalerState withQueue(Instant now, double depth, Duration keep) {
    long nowSecond = now.getEpochSecond();
    List<QueueSample> kept = new ArrayList<>();
    for (QueueSample q : queue) {
      if (q.epochSecond() > nowSecond - keep.getSeconds() && q.epochSecond() < nowSecond) {
        kept.add(q);
      }
    }
    kept.add(new QueueSample(nowSecond, depth));
    return new ScalerState(samples, kept, lastScaleEpochSecond);
  }

  /** This state, noting that the size changed at {@code now}. */
  ScalerState scaledAt(Instant now) {
    return new ScalerState(samples, queue, now.getEpochSecond());
  }

  /**
   * A compact text form for an annotation or a status string, e.g. {@code
   * v1;last=1700000000;r=1699999700:3,1700000000:4;q=1699999995:7,1700000000:8.5}. {@link #parse}
   * reads it back.
   */
  public String toCompactString() {
    StringBuilder out = new StringBuilder(VERSION).append(";last=").append(lastScaleEpochSecond);
    out.append(";r=");
    for (int i = 0; i < samples.size(); i++) {
      out.append(i > 0 ? "," : "").append(samples.get(i).epochSecond());
      out.append(':').append(samples.get(i).replicas());
    }
    out.append(";q=");
    for (int i = 0; i < queue.size(); i++) {
      double depth = queue.get(i).depth();
      out.append(i > 0 ? "," : "").append(queue.get(i).epochSecond()).append(':');
      out.append(depth == Math.rint(depth) ? Long.toString((long) depth) : Double.toString(depth));
    }
    return out.toString();
  }

  /**
   * Reads the form {@link #toCompactString} writes.
   *
   * @throws IllegalArgumentException when the text is not such a form; the operator should then
   *     start from {@link #initial()} and say so, rather than fail the reconcile
   */
  public static ScalerState parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.split(";", -1);
    if (parts.length != 4
        || !VERSION.equals(parts[0])
        || !parts[1].startsWith("last=")
        || !parts[2].startsWith("r=")
        || !parts[3].startsWith("q=")) {
      throw new IllegalArgumentException(
          "not a scaler state (expected v1;last=<epoch>;r=<epoch>:<replicas>,...;"
              + "q=<epoch>:<depth>,...): "
              + text);
    }
    try {
      long last = Long.parseLong(parts[1].substring(5));
      List<Sample> samples = new ArrayList<>();
      for (String[] pair : pairs(parts[2].substring(2), text)) {
        samples.add(new Sample(Long.parseLong(pair[0]), Integer.parseInt(pair[1])));
      }
      List<QueueSample> queue = new ArrayList<>();
      for (String[] pair : pairs(parts[3].substring(2), text)) {
        queue.add(new QueueSample(Long.parseLong(pair[0]), Double.parseDouble(pair[1])));
      }
      return new ScalerState(samples, queue, last);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in scaler state: " + text, e);
    }
  }

  private static List<String[]> pairs(String list, String text) {
    List<String[]> pairs = new ArrayList<>();
    if (list.isEmpty()) {
      return pairs;
    }
    for (String pair : list.split(",", -1)) {
      String[] cells = pair.split(":", -1);
      if (cells.length != 2) {
        throw new IllegalArgumentException("expected <epoch>:<value> in scaler state: " + text);
      }
      pairs.add(cells);
    }
    return pairs;
  }
}
