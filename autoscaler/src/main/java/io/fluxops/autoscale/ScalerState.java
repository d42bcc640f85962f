package io.fluxops.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The scaler's memory between polls. Immutable, small and bounded, so the operator can keep it in
 * the FluxDeployment's status ({@code status.autoscaler}) and hand it back after a restart.
 *
 * <ul>
 *   <li>{@code recommendations}: those still inside a stabilization window. Consecutive equal ones
 *       are stored once, stamped with the latest time they were made: a run stays inside a window
 *       exactly as long as its last member does, so the windows behave as if every poll had been
 *       kept.
 *   <li>{@code queue}: the readings of the last {@link QueueDepthScaler#QUEUE_AVERAGING_WINDOW},
 *       which the queue rule shrinks on.
 *   <li>{@code arrivals}: images that arrived, per {@link #ARRIVAL_BIN_SECONDS} slot, over the last
 *       {@link #ARRIVAL_MEMORY}: the arrival rule's rate estimates.
 *   <li>{@code last}: the previous poll, to turn the next one into arrivals, busy time and pod
 *       starts.
 *   <li>{@code service} and {@code podStart}: what the scaler has measured about the pods.
 *   <li>{@code idleGaps}: per replica level, how long the level went unneeded between two needs,
 *       which {@link KeepAlive} learns each level's keep-alive from.
 * </ul>
 *
 * @param recommendations recommendations, oldest first, each the last of a run of equal ones
 * @param queue queue readings, oldest first
 * @param arrivals arrival slots, oldest first
 * @param last the previous poll, or null before the first
 * @param service the measured time per image
 * @param podStart the measured time from ordering a pod to its being ready
 * @param lastScaleEpochSecond when the scaler last changed the size; {@code 0} for never
 * @param lastQueuedEpochSecond when the queue was last seen non-empty; {@code 0} for never
 * @param idleGaps the idle gaps of each replica level that has been needed, by level
 */
public record ScalerState(
    List<Sample> recommendations,
    List<QueueSample> queue,
    List<ArrivalBin> arrivals,
    Observation last,
    ServiceTime service,
    PodStart podStart,
    long lastScaleEpochSecond,
    long lastQueuedEpochSecond,
    List<LevelGaps> idleGaps) {

  /**
   * Upper bound on stored recommendation runs and on stored readings; a 300 s window polled every 5
   * s needs at most 61. Past it the two oldest runs are merged into one holding the higher
   * recommendation: a longer window is then approximated on the safe side (shrinking waits, it
   * never comes early).
   */
  public static final int MAX_SAMPLES = 64;

  /** Width of an arrival slot: several polls a second or one poll per slot fold into one entry. */
  public static final long ARRIVAL_BIN_SECONDS = 10;

  /** How far back arrivals are kept: the arrival rule's longest window. */
  public static final Duration ARRIVAL_MEMORY = Duration.ofSeconds(320);

  /**
   * A gap between polls longer than this (readings failed, the operator was down) is not turned
   * into arrivals, busy time or pod starts: too much happened unseen.
   */
  static final long MAX_OBSERVED_GAP_SECONDS = 60;

  /** A recommendation made at a time. */
  public record Sample(long epochSecond, int replicas) {
    /** Validates the sample. */
    public Sample {
      if (replicas < 0) {
        throw new IllegalArgumentException("a recommendation is >= 0 replicas: " + replicas);
      }
    }
  }

  /** A queue depth read at a time, kept for the short average that the queue rule shrinks on. */
  public record QueueSample(long epochSecond, double depth) {
    /** Validates the sample. */
    public QueueSample {
      requireDepth(depth);
    }
  }

  /**
   * Images that arrived between two times: the queue's growth plus the images served meanwhile.
   * Estimated, so one slot can be slightly negative; sums over windows are clamped at zero.
   *
   * @param fromEpochSecond the poll before the first one counted in the slot
   * @param toEpochSecond the latest poll counted in the slot
   * @param images images that arrived in between
   */
  public record ArrivalBin(long fromEpochSecond, long toEpochSecond, double images) {
    /** Validates the slot. */
    public ArrivalBin {
      if (toEpochSecond < fromEpochSecond || !Double.isFinite(images)) {
        throw new IllegalArgumentException(
            "an arrival slot needs from <= to and a finite count: "
                + fromEpochSecond
                + ".."
                + toEpochSecond
                + " "
                + images);
      }
    }
  }

  /**
   * What the previous poll saw and decided.
   *
   * @param epochSecond when
   * @param queueDepth the complete reading's depth
   * @param ready pods that served
   * @param desired the size it decided
   */
  public record Observation(long epochSecond, double queueDepth, int ready, int desired) {
    /** Validates the observation. */
    public Observation {
      requireDepth(queueDepth);
      if (ready < 0 || desired < 0) {
        throw new IllegalArgumentException("pod counts are >= 0: " + ready + ", " + desired);
      }
    }
  }

  /**
   * The time one replica spends per image, from the pods' image counts: busy replica-seconds over
   * images finished, both summed over about the last {@link #MEMORY_IMAGES} images.
   *
   * @param busySeconds replica-seconds spent generating, summed
   * @param images images finished in that time
   * @param countedTotal the image count last seen, {@code -1} before the first
   * @param pendingBusySeconds busy replica-seconds since that count, waiting for the next one
   */
  public record ServiceTime(
      double busySeconds, double images, long countedTotal, double pendingBusySeconds) {

    /** How many recent images the estimate averages over. */
    public static final double MEMORY_IMAGES = 200;

    /** How many images a prior (the GPU type's published figure) counts for. */
    public static final double PRIOR_IMAGES = 10;

    /** Nothing measured yet. */
    public static final ServiceTime UNKNOWN = new ServiceTime(0, 0, -1, 0);

    /** Validates the estimate. */
    public ServiceTime {
      if (!(busySeconds >= 0) || !(images >= 0) || !(pendingBusySeconds >= 0)) {
        throw new IllegalArgumentException(
            "service time sums are >= 0: "
                + busySeconds
                + ", "
                + images
                + ", "
                + pendingBusySeconds);
      }
    }

    /**
     * Seconds per image: the measurement, blended with {@code prior} (weighted as {@link
     * #PRIOR_IMAGES} images) when one is given; {@code NaN} when there is neither a prior nor
     * {@link #PRIOR_IMAGES} measured images.
     */
    public double secondsPerImage(double prior) {
      if (prior > 0) {
        return (busySeconds + prior * PRIOR_IMAGES) / (images + PRIOR_IMAGES);
      }
      return images >= PRIOR_IMAGES ? busySeconds / images : Double.NaN;
    }

    /** This estimate after {@code busy} more replica-seconds at a poll that saw {@code total}. */
    ServiceTime observe(double busy, long total) {
      double pending = pendingBusySeconds + busy;
      if (countedTotal < 0 || total < countedTotal) {
        return new ServiceTime(busySeconds, images, total, 0); // first count, or the count reset
      }
      if (total == countedTotal) {
        return new ServiceTime(busySeconds, images, countedTotal, pending);
      }
      if (pending <= 0) {
        // Images finished while no pod was seen serving: the counts and the readiness disagree
        // (pods reported not ready, a count that caught up late). Nothing to learn from it.
        return new ServiceTime(busySeconds, images, total, 0);
      }
      double sumBusy = busySeconds + pending;
      double sumImages = images + (total - countedTotal);
      if (sumImages > MEMORY_IMAGES) {
        sumBusy *= MEMORY_IMAGES / sumImages;
        sumImages = MEMORY_IMAGES;
      }
      return new ServiceTime(sumBusy, sumImages, total, 0);
    }

    /** This estimate with busy time that no count will cover (the counts are missing). */
    ServiceTime withoutCount(double busy) {
      return new ServiceTime(busySeconds, images, countedTotal, pendingBusySeconds + busy);
    }
  }

  /**
   * Pods ordered at one time that have not become ready yet.
   *
   * @param epochSecond when they were ordered
   * @param pods how many are still starting
   */
  public record Order(long epochSecond, int pods) {
    /** Validates the order. */
    public Order {
      if (pods < 1) {
        throw new IllegalArgumentException("an order holds at least one pod: " + pods);
      }
    }
  }

  /**
   * The time from ordering a pod to its being ready: the orders still starting, oldest first, and
   * the mean over about the last {@link #MEMORY_STARTS} pods that became ready (the oldest orders
   * are taken to become ready first, as Kubernetes starts pods in the order they were made).
   *
   * @param startSeconds seconds from order to ready, summed over the finished starts
   * @param starts finished starts
   * @param orders pods still starting, by order, oldest first
   */
  public record PodStart(double startSeconds, double starts, List<Order> orders) {

    /** How many recent starts the estimate averages over. */
    public static final double MEMORY_STARTS = 20;

    /** Most orders kept; past it the oldest two merge, keeping the older time. */
    public static final int MAX_ORDERS = 16;

    /** Nothing measured yet. */
    public static final PodStart UNKNOWN = new PodStart(0, 0, List.of());

    /** Validates the estimate. */
    public PodStart {
      if (!(startSeconds >= 0) || !(starts >= 0)) {
        throw new IllegalArgumentException(
            "pod start sums are >= 0: " + startSeconds + ", " + starts);
      }
      Objects.requireNonNull(orders, "orders");
      List<Order> merged = new ArrayList<>(orders);
      while (merged.size() > MAX_ORDERS) {
        Order oldest = merged.remove(0);
        merged.set(0, new Order(oldest.epochSecond(), oldest.pods() + merged.get(0).pods()));
      }
      orders = List.copyOf(merged);
    }

    /** Seconds from order to ready, blended with {@code prior} weighted as one start. */
    public double seconds(double prior) {
      return (startSeconds + prior) / (starts + 1);
    }

    /**
     * Seconds from now until each starting pod is expected to be ready, one entry per pod, at least
     * one poll away for pods that are late.
     */
    double[] readyIn(long nowSecond, double seconds) {
      double[] readyIn = new double[orders.stream().mapToInt(Order::pods).sum()];
      int i = 0;
      for (Order order : orders) {
        double due = Math.max(5, order.epochSecond() + seconds - nowSecond);
        for (int p = 0; p < order.pods(); p++) {
          readyIn[i++] = due;
        }
      }
      return readyIn;
    }

    /**
     * This estimate after {@code becameReady} pods became ready at about {@code readySecond} and
     * {@code starting} are left starting: the oldest orders became ready; orders beyond those left
     * vanished (removed, or failed) and are forgotten from the newest.
     */
    PodStart observe(int becameReady, double readySecond, int starting) {
      List<Order> left = new ArrayList<>(orders);
      double sumSeconds = startSeconds;
      double sumStarts = starts;
      int ready = becameReady;
      while (ready > 0 && !left.isEmpty()) {
        Order oldest = left.get(0);
        int n = Math.min(ready, oldest.pods());
        sumSeconds += n * Math.max(0, readySecond - oldest.epochSecond());
        sumStarts += n;
        ready -= n;
        if (oldest.pods() == n) {
          left.remove(0);
        } else {
          left.set(0, new Order(oldest.epochSecond(), oldest.pods() - n));
        }
      }
      removeNewest(left, left.stream().mapToInt(Order::pods).sum() - starting);
      if (sumStarts > MEMORY_STARTS) {
        sumSeconds *= MEMORY_STARTS / sumStarts;
        sumStarts = MEMORY_STARTS;
      }
      return new PodStart(sumSeconds, sumStarts, left);
    }

    /**
     * This estimate after a decision that ordered {@code added} pods or removed {@code removed}.
     */
    PodStart decided(long nowSecond, int added, int removed) {
      List<Order> next = new ArrayList<>(orders);
      removeNewest(next, removed);
      if (added > 0) {
        next.add(new Order(nowSecond, added));
      }
      return new PodStart(startSeconds, starts, next);
    }

    private static void removeNewest(List<Order> orders, int count) {
      while (count > 0 && !orders.isEmpty()) {
        Order newest = orders.remove(orders.size() - 1);
        if (newest.pods() > count) {
          orders.add(new Order(newest.epochSecond(), newest.pods() - count));
          return;
        }
        count -= newest.pods();
      }
    }
  }

  /**
   * What the scaler has seen of one replica level: the level-th replica is <i>needed</i> while the
   * recommendation is at least {@code level} (the first replica: while there is work in the queue),
   * and an <i>idle gap</i> is the time from one need to the next. {@link KeepAlive} chooses from
   * the recent gaps how long to keep that replica once it is no longer needed.
   *
   * @param level the replica level, from 1
   * @param lastNeededEpochSecond when the level was last needed
   * @param arrivalsPerSecond the highest arrival rate over a pod start (the shortest rate window
   *     that long: 80 s at 60 s starts) in the level's latest busy period: its needs with no gap as
   *     long as the scale-down window between them
   * @param lastBurstPerSecond the same for the busy period before the latest, 0 when none: what a
   *     burst that finds no replica is ordered for while the latest period is the one it opens
   * @param gaps the most recent idle gaps in seconds, oldest first, at most {@link #MAX_GAPS}
   */
  public record LevelGaps(
      int level,
      long lastNeededEpochSecond,
      double arrivalsPerSecond,
      double lastBurstPerSecond,
      List<Long> gaps) {

    /** How many recent gaps a level keeps. */
    public static final int MAX_GAPS = 16;

    /** Validates the level and keeps the newest {@link #MAX_GAPS} gaps. */
    public LevelGaps {
      if (level < 1 || lastNeededEpochSecond < 0) {
        throw new IllegalArgumentException(
            "a replica level is >= 1 and was needed at a time >= 0: "
                + level
                + ", "
                + lastNeededEpochSecond);
      }
      requireRate(arrivalsPerSecond);
      requireRate(lastBurstPerSecond);
      Objects.requireNonNull(gaps, "gaps");
      for (Long gap : gaps) {
        if (gap == null || gap < 0) {
          throw new IllegalArgumentException("an idle gap is >= 0 seconds: " + gaps);
        }
      }
      gaps =
          List.copyOf(
              gaps.size() > MAX_GAPS ? gaps.subList(gaps.size() - MAX_GAPS, gaps.size()) : gaps);
    }
  }

  /** Copies the lists so the state stays immutable, and keeps them within bounds. */
  public ScalerState {
    recommendations = mergeOldest(recommendations);
    queue = bounded(queue);
    arrivals = bounded(arrivals);
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(podStart, "podStart");
    idleGaps = List.copyOf(Objects.requireNonNull(idleGaps, "idleGaps"));
    if (idleGaps.size() > KeepAlive.MAX_LEVELS) {
      throw new IllegalArgumentException(
          "at most " + KeepAlive.MAX_LEVELS + " replica levels are kept: " + idleGaps.size());
    }
    for (int i = 1; i < recommendations.size(); i++) {
      if (recommendations.get(i).epochSecond() < recommendations.get(i - 1).epochSecond()) {
        throw new IllegalArgumentException(
            "recommendations must be in time order: " + recommendations);
      }
    }
  }

  /**
   * A state with only recommendations, readings and the last scale time, as the queue rule uses.
   */
  public ScalerState(List<Sample> recommendations, List<QueueSample> queue, long lastScale) {
    this(
        recommendations,
        queue,
        List.of(),
        null,
        ServiceTime.UNKNOWN,
        PodStart.UNKNOWN,
        lastScale,
        0,
        List.of());
  }

  private static void requireRate(double perSecond) {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("an arrival rate is a finite number >= 0: " + perSecond);
    }
  }

  private static void requireDepth(double depth) {
    if (!(depth >= 0) || Double.isInfinite(depth)) {
      throw new IllegalArgumentException("a queue depth is a finite number >= 0: " + depth);
    }
  }

  private static List<Sample> mergeOldest(List<Sample> samples) {
    Objects.requireNonNull(samples, "recommendations");
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

  /** The memory of a scaler that has never run: windows empty, nothing measured, never scaled. */
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
   * Images that arrived over the last {@code window} seconds before {@code nowSecond} (whole slots
   * that overlap it, so up to one slot more), never below zero.
   */
  double arrivalsWithin(long nowSecond, long window) {
    double sum = 0;
    for (ArrivalBin bin : arrivals) {
      if (covers(bin, nowSecond, window)) {
        sum += bin.images();
      }
    }
    return Math.max(0, sum);
  }

  /** The seconds those arrivals were counted over; 0 when none were. */
  long arrivalSpan(long nowSecond, long window) {
    long first = nowSecond;
    for (ArrivalBin bin : arrivals) {
      if (covers(bin, nowSecond, window)) {
        first = Math.min(first, bin.fromEpochSecond());
      }
    }
    return nowSecond - first;
  }

  /**
   * Whether a slot counts toward a window: when it overlaps it. Counting only the slots that start
   * inside it made the 10 s window cover 5 s just after a slot began, where a few images of noise
   * read as a burst: with 120 s pod starts the backlog rule then ordered a crowd for a steady load
   * (7 replicas to 31 on the steady trace).
   */
  private static boolean covers(ArrivalBin bin, long nowSecond, long window) {
    return bin.toEpochSecond() > nowSecond - window;
  }

  /**
   * This state with a new recommendation recorded at {@code now}, and the runs that have left every
   * window dropped.
   */
  ScalerState record(Instant now, int recommendation, Duration keep) {
    long nowSecond = now.getEpochSecond();
    long cutoff = nowSecond - keep.getSeconds();
    List<Sample> kept = new ArrayList<>(recommendations.size() + 1);
    for (Sample s : recommendations) {
      if (s.epochSecond() > cutoff && s.epochSecond() <= nowSecond) {
        kept.add(s);
      }
    }
    if (!kept.isEmpty() && kept.get(kept.size() - 1).replicas() == recommendation) {
      kept.remove(kept.size() - 1);
    }
    kept.add(new Sample(nowSecond, recommendation));
    return new ScalerState(
        kept,
        queue,
        arrivals,
        last,
        service,
        podStart,
        lastScaleEpochSecond,
        lastQueuedEpochSecond,
        idleGaps);
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
    return new ScalerState(
        recommendations,
        kept,
        arrivals,
        last,
        service,
        podStart,
        lastScaleEpochSecond,
        depth > 0 ? nowSecond : lastQueuedEpochSecond,
        idleGaps);
  }

  /**
   * This state after a complete reading: the time since the previous poll turned into arrivals (at
   * {@code secondsPerImage}, when known), busy time for the service estimate, and pod starts.
   *
   * @param imagesDone the pods' image count now, or {@code -1} when it is missing
   */
  ScalerState observe(
      Instant now, double depth, Replicas replicas, long imagesDone, double secondsPerImage) {
    long nowSecond = now.getEpochSecond();
    if (last == null || nowSecond <= last.epochSecond()) {
      return this;
    }
    long gap = nowSecond - last.epochSecond();
    if (gap > MAX_OBSERVED_GAP_SECONDS) {
      return withArrivals(List.of(), service, podStart);
    }
    // Pods are taken to be busy as the previous poll saw them: one image each, up to the depth.
    double busy = Math.min(last.queueDepth(), last.ready()) * gap;
    ServiceTime nextService =
        imagesDone >= 0 ? service.observe(busy, imagesDone) : service.withoutCount(busy);
    // Images that come and go between two polls leave the queue empty at both: on a fast GPU
    // the readings alone would call a busy workload idle. A count that grew means work.
    boolean worked =
        imagesDone >= 0 && service.countedTotal() >= 0 && imagesDone > service.countedTotal();
    // After the previous decision min(ready, desired) pods served: removals take starting pods
    // first. Those that serve now beyond them became ready in between, on average halfway.
    int becameReady = Math.max(0, replicas.ready() - Math.min(last.ready(), last.desired()));
    PodStart nextStart = podStart.observe(becameReady, nowSecond - gap / 2.0, replicas.starting());
    List<ArrivalBin> bins = new ArrayList<>();
    for (ArrivalBin bin : arrivals) {
      if (bin.toEpochSecond() > nowSecond - ARRIVAL_MEMORY.getSeconds()) {
        bins.add(bin);
      }
    }
    if (secondsPerImage > 0) {
      double arrived = depth - last.queueDepth() + busy / secondsPerImage;
      ArrivalBin newest = bins.isEmpty() ? null : bins.get(bins.size() - 1);
      if (newest != null
          && newest.fromEpochSecond() / ARRIVAL_BIN_SECONDS
              == last.epochSecond() / ARRIVAL_BIN_SECONDS) {
        bins.set(
            bins.size() - 1,
            new ArrivalBin(newest.fromEpochSecond(), nowSecond, newest.images() + arrived));
      } else {
        bins.add(new ArrivalBin(last.epochSecond(), nowSecond, arrived));
      }
    }
    ScalerState next = withArrivals(bins, nextService, nextStart);
    return worked ? next.queuedAt(now) : next;
  }

  private ScalerState withArrivals(List<ArrivalBin> bins, ServiceTime service, PodStart start) {
    return new ScalerState(
        recommendations,
        queue,
        bins,
        last,
        service,
        start,
        lastScaleEpochSecond,
        lastQueuedEpochSecond,
        idleGaps);
  }

  /** This state, remembering this poll and its decision for the next one. */
  ScalerState observed(Instant now, double depth, int ready, int desired) {
    return new ScalerState(
        recommendations,
        queue,
        arrivals,
        new Observation(now.getEpochSecond(), depth, ready, desired),
        service,
        podStart,
        lastScaleEpochSecond,
        lastQueuedEpochSecond,
        idleGaps);
  }

  /** This state, with the pods a decision ordered or removed (starting ones go first). */
  ScalerState decided(Instant now, Replicas replicas, int desired) {
    int removedStarting = Math.min(replicas.starting(), Math.max(0, replicas.current() - desired));
    int added = Math.max(0, desired - replicas.current());
    return new ScalerState(
        recommendations,
        queue,
        arrivals,
        last,
        service,
        podStart.decided(now.getEpochSecond(), added, removedStarting),
        lastScaleEpochSecond,
        lastQueuedEpochSecond,
        idleGaps);
  }

  /** This state, as if the queue had been non-empty at {@code now}. */
  ScalerState queuedAt(Instant now) {
    return new ScalerState(
        recommendations,
        queue,
        arrivals,
        last,
        service,
        podStart,
        lastScaleEpochSecond,
        now.getEpochSecond(),
        idleGaps);
  }

  /** This state, noting that the size changed at {@code now}. */
  ScalerState scaledAt(Instant now) {
    return new ScalerState(
        recommendations,
        queue,
        arrivals,
        last,
        service,
        podStart,
        now.getEpochSecond(),
        lastQueuedEpochSecond,
        idleGaps);
  }

  /** This state with other idle gaps. */
  ScalerState withIdleGaps(List<LevelGaps> gaps) {
    return new ScalerState(
        recommendations,
        queue,
        arrivals,
        last,
        service,
        podStart,
        lastScaleEpochSecond,
        lastQueuedEpochSecond,
        gaps);
  }

  /**
   * The text form of the recommendations, readings and last scale time, e.g. {@code
   * v1;last=1700000000;r=1699999700:3,1700000000:4;q=1699999995:7,1700000000:8.5}: what {@code
   * status.autoscalerState} held before the typed {@code status.autoscaler}. {@link #parseLegacy}
   * reads it back; the measurements are not in it.
   */
  public String toLegacyString() {
    StringBuilder out = new StringBuilder("v1;last=").append(lastScaleEpochSecond);
    out.append(";r=");
    for (int i = 0; i < recommendations.size(); i++) {
      out.append(i > 0 ? "," : "").append(recommendations.get(i).epochSecond());
      out.append(':').append(recommendations.get(i).replicas());
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
   * Reads the text form that operators before the typed {@code status.autoscaler} kept in {@code
   * status.autoscalerState}, e.g. {@code
   * v1;last=1700000000;r=1699999700:3,1700000000:4;q=1699999995:7,1700000000:8.5}, so that an
   * upgrade keeps the stabilization windows. Nothing writes this form any more.
   *
   * @throws IllegalArgumentException when the text is not such a form; the operator should then
   *     start from {@link #initial()} and say so, rather than fail the reconcile
   */
  public static ScalerState parseLegacy(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.split(";", -1);
    if (parts.length != 4
        || !"v1".equals(parts[0])
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
