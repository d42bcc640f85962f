package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/**
 * What the autoscaler decided on and remembers: the rule it sized with, its estimates, and its
 * memory. Written by the operator; times are seconds since the Unix epoch.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalerStatus {

  @JsonPropertyDescription(
      "Which rule sized the last decision: arrivals (the arrival rate and the measured time per image, from the pods' image counts) or queue (queue depth alone, when the counts are missing).")
  private String basis;

  @JsonPropertyDescription(
      "Images a second arriving, estimated over up to the last five minutes (arrivals rule).")
  private Double arrivalsPerSecond;

  @JsonPropertyDescription(
      "Seconds one replica takes per image: busy replica-seconds over images finished, over the last 200 images, blended with the GPU type's published figure.")
  private Double secondsPerImage;

  @JsonPropertyDescription(
      "Seconds from ordering a pod to its being ready, as measured (60 until a start has been seen).")
  private Double podStartSeconds;

  @JsonPropertyDescription(
      "The memory behind the decisions, so that a restarted operator keeps its windows and measurements. Times are seconds since the Unix epoch.")
  private Memory memory;

  public String getBasis() {
    return basis;
  }

  public void setBasis(String basis) {
    this.basis = basis;
  }

  public Double getArrivalsPerSecond() {
    return arrivalsPerSecond;
  }

  public void setArrivalsPerSecond(Double arrivalsPerSecond) {
    this.arrivalsPerSecond = arrivalsPerSecond;
  }

  public Double getSecondsPerImage() {
    return secondsPerImage;
  }

  public void setSecondsPerImage(Double secondsPerImage) {
    this.secondsPerImage = secondsPerImage;
  }

  public Double getPodStartSeconds() {
    return podStartSeconds;
  }

  public void setPodStartSeconds(Double podStartSeconds) {
    this.podStartSeconds = podStartSeconds;
  }

  public Memory getMemory() {
    return memory;
  }

  public void setMemory(Memory memory) {
    this.memory = memory;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AutoscalerStatus other
        && Objects.equals(basis, other.basis)
        && Objects.equals(arrivalsPerSecond, other.arrivalsPerSecond)
        && Objects.equals(secondsPerImage, other.secondsPerImage)
        && Objects.equals(podStartSeconds, other.podStartSeconds)
        && Objects.equals(memory, other.memory);
  }

  @Override
  public int hashCode() {
    return Objects.hash(basis, arrivalsPerSecond, secondsPerImage, podStartSeconds, memory);
  }

  /** The autoscaler's memory between polls. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Memory {

    @JsonPropertyDescription(
        "Recommendations still inside a stabilization window, oldest first; equal ones in a row are kept once, with the latest time.")
    private List<Recommendation> recommendations;

    @JsonPropertyDescription("Queue readings of the last minute, which the queue rule shrinks on.")
    private List<QueueSample> readings;

    @JsonPropertyDescription(
        "Images that arrived, per 10-second slot, over the last 320 seconds (arrivals rule).")
    private List<ArrivalSlot> arrivals;

    @JsonPropertyDescription("The previous poll: what it saw and decided.")
    private LastPoll lastPoll;

    @JsonPropertyDescription("The sums behind secondsPerImage.")
    private ServiceTime serviceTime;

    @JsonPropertyDescription("The sums behind podStartSeconds, and the pods still starting.")
    private PodStarts podStarts;

    @JsonPropertyDescription("When the autoscaler last changed the size; 0 for never.")
    private Long lastScaleTime;

    @JsonPropertyDescription("When the queue was last seen non-empty; 0 for never.")
    private Long lastQueuedTime;

    @JsonPropertyDescription(
        "Per replica level the load has needed (above minReplicas, up to 32): when it was last needed and its recent idle gaps, from which the autoscaler learns how long to keep that replica when scaleDownStabilizationSeconds is unset.")
    private List<IdleGaps> idleGaps;

    public List<Recommendation> getRecommendations() {
      return recommendations;
    }

    public void setRecommendations(List<Recommendation> recommendations) {
      this.recommendations = recommendations;
    }

    public List<QueueSample> getReadings() {
      return readings;
    }

    public void setReadings(List<QueueSample> readings) {
      this.readings = readings;
    }

    public List<ArrivalSlot> getArrivals() {
      return arrivals;
    }

    public void setArrivals(List<ArrivalSlot> arrivals) {
      this.arrivals = arrivals;
    }

    public LastPoll getLastPoll() {
      return lastPoll;
    }

    public void setLastPoll(LastPoll lastPoll) {
      this.lastPoll = lastPoll;
    }

    public ServiceTime getServiceTime() {
      return serviceTime;
    }

    public void setServiceTime(ServiceTime serviceTime) {
      this.serviceTime = serviceTime;
    }

    public PodStarts getPodStarts() {
      return podStarts;
    }

    public void setPodStarts(PodStarts podStarts) {
      this.podStarts = podStarts;
    }

    public Long getLastScaleTime() {
      return lastScaleTime;
    }

    public void setLastScaleTime(Long lastScaleTime) {
      this.lastScaleTime = lastScaleTime;
    }

    public Long getLastQueuedTime() {
      return lastQueuedTime;
    }

    public void setLastQueuedTime(Long lastQueuedTime) {
      this.lastQueuedTime = lastQueuedTime;
    }

    public List<IdleGaps> getIdleGaps() {
      return idleGaps;
    }

    public void setIdleGaps(List<IdleGaps> idleGaps) {
      this.idleGaps = idleGaps;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Memory other
          && Objects.equals(recommendations, other.recommendations)
          && Objects.equals(readings, other.readings)
          && Objects.equals(arrivals, other.arrivals)
          && Objects.equals(lastPoll, other.lastPoll)
          && Objects.equals(serviceTime, other.serviceTime)
          && Objects.equals(podStarts, other.podStarts)
          && Objects.equals(lastScaleTime, other.lastScaleTime)
          && Objects.equals(lastQueuedTime, other.lastQueuedTime)
          && Objects.equals(idleGaps, other.idleGaps);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          recommendations,
          readings,
          arrivals,
          lastPoll,
          serviceTime,
          podStarts,
          lastScaleTime,
          lastQueuedTime,
          idleGaps);
    }
  }

  /** A recommendation made at a time. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Recommendation {

    @JsonPropertyDescription("When it was made.")
    private Long time;

    @JsonPropertyDescription("The replicas it recommended.")
    private Integer replicas;

    public Long getTime() {
      return time;
    }

    public void setTime(Long time) {
      this.time = time;
    }

    public Integer getReplicas() {
      return replicas;
    }

    public void setReplicas(Integer replicas) {
      this.replicas = replicas;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Recommendation other
          && Objects.equals(time, other.time)
          && Objects.equals(replicas, other.replicas);
    }

    @Override
    public int hashCode() {
      return Objects.hash(time, replicas);
    }
  }

  /** A queue reading. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class QueueSample {

    @JsonPropertyDescription("When it was read.")
    private Long time;

    @JsonPropertyDescription("Queued plus running images.")
    private Double queueDepth;

    public Long getTime() {
      return time;
    }

    public void setTime(Long time) {
      this.time = time;
    }

    public Double getQueueDepth() {
      return queueDepth;
    }

    public void setQueueDepth(Double queueDepth) {
      this.queueDepth = queueDepth;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof QueueSample other
          && Objects.equals(time, other.time)
          && Objects.equals(queueDepth, other.queueDepth);
    }

    @Override
    public int hashCode() {
      return Objects.hash(time, queueDepth);
    }
  }

  /** Images that arrived between two polls (estimated: queue growth plus images served). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ArrivalSlot {

    @JsonPropertyDescription("The poll before the first one counted.")
    private Long from;

    @JsonPropertyDescription("The latest poll counted.")
    private Long to;

    @JsonPropertyDescription("Images that arrived in between.")
    private Double images;

    public Long getFrom() {
      return from;
    }

    public void setFrom(Long from) {
      this.from = from;
    }

    public Long getTo() {
      return to;
    }

    public void setTo(Long to) {
      this.to = to;
    }

    public Double getImages() {
      return images;
    }

    public void setImages(Double images) {
      this.images = images;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ArrivalSlot other
          && Objects.equals(from, other.from)
          && Objects.equals(to, other.to)
          && Objects.equals(images, other.images);
    }

    @Override
    public int hashCode() {
      return Objects.hash(from, to, images);
    }
  }

  /** What the previous poll saw and decided. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LastPoll {

    @JsonPropertyDescription("When.")
    private Long time;

    @JsonPropertyDescription("Queued plus running images.")
    private Double queueDepth;

    @JsonPropertyDescription("Pods that served.")
    private Integer ready;

    @JsonPropertyDescription("The size it decided.")
    private Integer desired;

    public Long getTime() {
      return time;
    }

    public void setTime(Long time) {
      this.time = time;
    }

    public Double getQueueDepth() {
      return queueDepth;
    }

    public void setQueueDepth(Double queueDepth) {
      this.queueDepth = queueDepth;
    }

    public Integer getReady() {
      return ready;
    }

    public void setReady(Integer ready) {
      this.ready = ready;
    }

    public Integer getDesired() {
      return desired;
    }

    public void setDesired(Integer desired) {
      this.desired = desired;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LastPoll other
          && Objects.equals(time, other.time)
          && Objects.equals(queueDepth, other.queueDepth)
          && Objects.equals(ready, other.ready)
          && Objects.equals(desired, other.desired);
    }

    @Override
    public int hashCode() {
      return Objects.hash(time, queueDepth, ready, desired);
    }
  }

  /** Busy replica-seconds and images finished, summed over the last 200 images. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceTime {

    @JsonPropertyDescription("Replica-seconds spent generating.")
    private Double busySeconds;

    @JsonPropertyDescription("Images finished in that time.")
    private Double images;

    @JsonPropertyDescription("The pods' image count last seen; -1 before the first.")
    private Long countedImages;

    @JsonPropertyDescription("Busy replica-seconds since that count.")
    private Double pendingBusySeconds;

    public Double getBusySeconds() {
      return busySeconds;
    }

    public void setBusySeconds(Double busySeconds) {
      this.busySeconds = busySeconds;
    }

    public Double getImages() {
      return images;
    }

    public void setImages(Double images) {
      this.images = images;
    }

    public Long getCountedImages() {
      return countedImages;
    }

    public void setCountedImages(Long countedImages) {
      this.countedImages = countedImages;
    }

    public Double getPendingBusySeconds() {
      return pendingBusySeconds;
    }

    public void setPendingBusySeconds(Double pendingBusySeconds) {
      this.pendingBusySeconds = pendingBusySeconds;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ServiceTime other
          && Objects.equals(busySeconds, other.busySeconds)
          && Objects.equals(images, other.images)
          && Objects.equals(countedImages, other.countedImages)
          && Objects.equals(pendingBusySeconds, other.pendingBusySeconds);
    }

    @Override
    public int hashCode() {
      return Objects.hash(busySeconds, images, countedImages, pendingBusySeconds);
    }
  }

  /** Seconds from order to ready, summed over the last 20 starts, and the orders still starting. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PodStarts {

    @JsonPropertyDescription("Seconds from order to ready, summed.")
    private Double startSeconds;

    @JsonPropertyDescription("Pods that became ready.")
    private Double starts;

    @JsonPropertyDescription("Pods ordered and still starting, oldest first.")
    private List<PodOrder> orders;

    public Double getStartSeconds() {
      return startSeconds;
    }

    public void setStartSeconds(Double startSeconds) {
      this.startSeconds = startSeconds;
    }

    public Double getStarts() {
      return starts;
    }

    public void setStarts(Double starts) {
      this.starts = starts;
    }

    public List<PodOrder> getOrders() {
      return orders;
    }

    public void setOrders(List<PodOrder> orders) {
      this.orders = orders;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PodStarts other
          && Objects.equals(startSeconds, other.startSeconds)
          && Objects.equals(starts, other.starts)
          && Objects.equals(orders, other.orders);
    }

    @Override
    public int hashCode() {
      return Objects.hash(startSeconds, starts, orders);
    }
  }

  /** Pods ordered at one time that are still starting. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PodOrder {

    @JsonPropertyDescription("When they were ordered.")
    private Long time;

    @JsonPropertyDescription("How many are still starting.")
    private Integer pods;

    public Long getTime() {
      return time;
    }

    public void setTime(Long time) {
      this.time = time;
    }

    public Integer getPods() {
      return pods;
    }

    public void setPods(Integer pods) {
      this.pods = pods;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PodOrder other
          && Objects.equals(time, other.time)
          && Objects.equals(pods, other.pods);
    }

    @Override
    public int hashCode() {
      return Objects.hash(time, pods);
    }
  }

  /** What the autoscaler has seen of one replica level's idle gaps. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class IdleGaps {

    @JsonPropertyDescription("The replica level: the n-th replica, from 1.")
    private Integer level;

    @JsonPropertyDescription(
        "When the level was last needed (the first replica: work in the queue; the n-th: a recommendation of at least n).")
    private Long lastNeeded;

    @JsonPropertyDescription(
        "The highest arrival rate, images per second over the shortest rate window at least a pod start long (80 s at 60 s starts), of the level's latest busy period (its needs with no gap as long as the scale-down window between them).")
    private Double arrivalsPerSecond;

    @JsonPropertyDescription(
        "The same rate for the busy period before the latest: what a burst that finds no replica is ordered for while the latest period is the one it opened. Absent in memories written before it was kept, and read as 0.")
    private Double lastBurstPerSecond;

    @JsonPropertyDescription(
        "The most recent idle gaps between two needs, in seconds, oldest first (at most 16).")
    private List<Long> gaps;

    public Integer getLevel() {
      return level;
    }

    public void setLevel(Integer level) {
      this.level = level;
    }

    public Long getLastNeeded() {
      return lastNeeded;
    }

    public void setLastNeeded(Long lastNeeded) {
      this.lastNeeded = lastNeeded;
    }

    public Double getArrivalsPerSecond() {
      return arrivalsPerSecond;
    }

    public void setArrivalsPerSecond(Double arrivalsPerSecond) {
      this.arrivalsPerSecond = arrivalsPerSecond;
    }

    public Double getLastBurstPerSecond() {
      return lastBurstPerSecond;
    }

    public void setLastBurstPerSecond(Double lastBurstPerSecond) {
      this.lastBurstPerSecond = lastBurstPerSecond;
    }

    public List<Long> getGaps() {
      return gaps;
    }

    public void setGaps(List<Long> gaps) {
      this.gaps = gaps;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IdleGaps other
          && Objects.equals(level, other.level)
          && Objects.equals(lastNeeded, other.lastNeeded)
          && Objects.equals(arrivalsPerSecond, other.arrivalsPerSecond)
          && Objects.equals(lastBurstPerSecond, other.lastBurstPerSecond)
          && Objects.equals(gaps, other.gaps);
    }

    @Override
    public int hashCode() {
      return Objects.hash(level, lastNeeded, arrivalsPerSecond, lastBurstPerSecond, gaps);
    }
  }
}
