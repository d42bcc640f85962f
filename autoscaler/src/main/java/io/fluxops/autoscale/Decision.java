package io.fluxops.autoscale;

/**
 * What the scaler decided at one poll, why, and the memory to hand to the next poll.
 *
 * @param desiredReplicas the size to set on the workload
 * @param direction whether that grows, shrinks or keeps the current size
 * @param reason one sentence for the {@code Autoscaling} condition and the log
 * @param dataMissing true when the queue could not be read (fully or partly), so the size was held
 *     or only allowed to grow
 * @param queueDepth the depth the decision was made on; {@code NaN} when it could not be read
 * @param recommendation the unstabilized recommendation of this poll; {@code -1} when none
 * @param state the memory to persist and pass to the next call
 * @param sizing what the recommendation was based on
 */
public record Decision(
    int desiredReplicas,
    Direction direction,
    String reason,
    boolean dataMissing,
    double queueDepth,
    int recommendation,
    ScalerState state,
    Sizing sizing) {

  /** Which rule sized the recommendation. */
  public enum Basis {
    /** Arrivals and the measured time per image (Erlang C, and a projection of the backlog). */
    ARRIVALS,
    /** Queue depth alone, {@code ceil(queue / targetQueueDepth)}: the image counts are missing. */
    QUEUE,
    /** Nothing: the queue could not be read and the size was held. */
    NONE
  }

  /**
   * What a decision was based on, for the status and the metrics.
   *
   * @param basis the rule
   * @param arrivalsPerSecond the arrival rate estimated over the longest window; {@code NaN} unless
   *     {@link Basis#ARRIVALS}
   * @param secondsPerImage the time per image used; {@code NaN} when none
   * @param podStartSeconds the pod start used
   * @param fallback why the queue rule was used; empty otherwise
   */
  public record Sizing(
      Basis basis,
      double arrivalsPerSecond,
      double secondsPerImage,
      double podStartSeconds,
      String fallback) {

    /** The sizing of a held decision. */
    static final Sizing NONE = new Sizing(Basis.NONE, Double.NaN, Double.NaN, Double.NaN, "");
  }

  /** Which way a decision moves the size. */
  public enum Direction {
    /** More replicas than now. */
    UP,
    /** Fewer replicas than now. */
    DOWN,
    /** The same size. */
    NONE
  }

  /**
   * A CamelCase reason for the {@code Autoscaling} condition: {@code QueueUnreadable} (status
   * False: the size is held), {@code QueuePartiallyRead}, {@code ScaledUp}, {@code ScaledDown} or
   * {@code Stable}. {@link #reason()} is the matching message.
   */
  public String conditionReason() {
    if (dataMissing && recommendation < 0) {
      return "QueueUnreadable";
    }
    if (dataMissing) {
      return "QueuePartiallyRead";
    }
    return switch (direction) {
      case UP -> "ScaledUp";
      case DOWN -> "ScaledDown";
      case NONE -> "Stable";
    };
  }

  /** True when the operator must change the workload's replica count. */
  public boolean changesSize() {
    return direction != Direction.NONE;
  }
}
