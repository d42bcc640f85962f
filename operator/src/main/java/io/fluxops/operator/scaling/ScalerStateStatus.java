package io.fluxops.operator.scaling;

import io.fluxops.autoscale.Decision;
import io.fluxops.autoscale.Decision.Basis;
import io.fluxops.autoscale.ScalerState;
import io.fluxops.autoscale.ScalerState.ArrivalBin;
import io.fluxops.autoscale.ScalerState.LevelGaps;
import io.fluxops.autoscale.ScalerState.Observation;
import io.fluxops.autoscale.ScalerState.Order;
import io.fluxops.autoscale.ScalerState.PodStart;
import io.fluxops.autoscale.ScalerState.QueueSample;
import io.fluxops.autoscale.ScalerState.Sample;
import io.fluxops.autoscale.ScalerState.ServiceTime;
import io.fluxops.operator.api.AutoscalerStatus;
import io.fluxops.operator.api.AutoscalerStatus.ArrivalSlot;
import io.fluxops.operator.api.AutoscalerStatus.LastPoll;
import io.fluxops.operator.api.AutoscalerStatus.Memory;
import io.fluxops.operator.api.AutoscalerStatus.PodOrder;
import io.fluxops.operator.api.AutoscalerStatus.PodStarts;
import io.fluxops.operator.api.AutoscalerStatus.Recommendation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The scaler's memory as the typed {@code status.autoscaler}, and back. Reading is strict about
 * shape (a field that cannot be read fails it, and the operator then starts afresh and says so) and
 * lenient about absence (a missing list is an empty one), so older writers' status still reads.
 */
final class ScalerStateStatus {

  private ScalerStateStatus() {}

  /** {@code status.autoscaler} for a decision: its basis and estimates, and the memory after it. */
  static AutoscalerStatus of(Decision decision) {
    AutoscalerStatus status = new AutoscalerStatus();
    if (decision.sizing().basis() != Basis.NONE) {
      status.setBasis(decision.sizing().basis().name().toLowerCase(Locale.ROOT));
    }
    status.setArrivalsPerSecond(finite(decision.sizing().arrivalsPerSecond()));
    status.setSecondsPerImage(finite(decision.sizing().secondsPerImage()));
    status.setPodStartSeconds(finite(decision.sizing().podStartSeconds()));
    status.setMemory(memory(decision.state()));
    return status;
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  static Memory memory(ScalerState state) {
    Memory memory = new Memory();
    memory.setRecommendations(
        state.recommendations().stream()
            .map(
                s -> {
                  Recommendation r = new Recommendation();
                  r.setTime(s.epochSecond());
                  r.setReplicas(s.replicas());
                  return r;
                })
            .toList());
    memory.setReadings(
        state.queue().stream()
            .map(
                q -> {
                  AutoscalerStatus.QueueSample r = new AutoscalerStatus.QueueSample();
                  r.setTime(q.epochSecond());
                  r.setQueueDepth(q.depth());
                  return r;
                })
            .toList());
    memory.setArrivals(
        state.arrivals().stream()
            .map(
                b -> {
                  ArrivalSlot slot = new ArrivalSlot();
                  slot.setFrom(b.fromEpochSecond());
                  slot.setTo(b.toEpochSecond());
                  slot.setImages(b.images());
                  return slot;
                })
            .toList());
    if (state.last() != null) {
      LastPoll last = new LastPoll();
      last.setTime(state.last().epochSecond());
      last.setQueueDepth(state.last().queueDepth());
      last.setReady(state.last().ready());
      last.setDesired(state.last().desired());
      memory.setLastPoll(last);
    }
    AutoscalerStatus.ServiceTime service = new AutoscalerStatus.ServiceTime();
    service.setBusySeconds(state.service().busySeconds());
    service.setImages(state.service().images());
    service.setCountedImages(state.service().countedTotal());
    service.setPendingBusySeconds(state.service().pendingBusySeconds());
    memory.setServiceTime(service);
    PodStarts starts = new PodStarts();
    starts.setStartSeconds(state.podStart().startSeconds());
    starts.setStarts(state.podStart().starts());
    starts.setOrders(
        state.podStart().orders().stream()
            .map(
                o -> {
                  PodOrder order = new PodOrder();
                  order.setTime(o.epochSecond());
                  order.setPods(o.pods());
                  return order;
                })
            .toList());
    memory.setPodStarts(starts);
    memory.setLastScaleTime(state.lastScaleEpochSecond());
    memory.setLastQueuedTime(state.lastQueuedEpochSecond());
    if (!state.idleGaps().isEmpty()) {
      memory.setIdleGaps(
          state.idleGaps().stream()
              .map(
                  g -> {
                    AutoscalerStatus.IdleGaps gaps = new AutoscalerStatus.IdleGaps();
                    gaps.setLevel(g.level());
                    gaps.setLastNeeded(g.lastNeededEpochSecond());
                    gaps.setArrivalsPerSecond(g.arrivalsPerSecond());
                    gaps.setLastBurstPerSecond(g.lastBurstPerSecond());
                    gaps.setGaps(g.gaps());
                    return gaps;
                  })
              .toList());
    }
    return memory;
  }

  /**
   * The memory {@code status.autoscaler} holds; empty when it holds none.
   *
   * @throws IllegalArgumentException when it holds something the scaler cannot take
   */
  static Optional<ScalerState> read(AutoscalerStatus status) {
    if (status == null || status.getMemory() == null) {
      return Optional.empty();
    }
    Memory m = status.getMemory();
    try {
      List<Sample> recommendations =
          list(m.getRecommendations()).stream()
              .map(r -> new Sample(r.getTime(), r.getReplicas()))
              .toList();
      List<QueueSample> readings =
          list(m.getReadings()).stream()
              .map(q -> new QueueSample(q.getTime(), q.getQueueDepth()))
              .toList();
      List<ArrivalBin> arrivals =
          list(m.getArrivals()).stream()
              .map(b -> new ArrivalBin(b.getFrom(), b.getTo(), b.getImages()))
              .toList();
      LastPoll l = m.getLastPoll();
      Observation last =
          l == null
              ? null
              : new Observation(l.getTime(), l.getQueueDepth(), l.getReady(), l.getDesired());
      AutoscalerStatus.ServiceTime s = m.getServiceTime();
      ServiceTime service =
          s == null
              ? ServiceTime.UNKNOWN
              : new ServiceTime(
                  s.getBusySeconds(),
                  s.getImages(),
                  s.getCountedImages(),
                  s.getPendingBusySeconds());
      PodStarts p = m.getPodStarts();
      PodStart podStart =
          p == null
              ? PodStart.UNKNOWN
              : new PodStart(
                  p.getStartSeconds(),
                  p.getStarts(),
                  list(p.getOrders()).stream()
                      .map(o -> new Order(o.getTime(), o.getPods()))
                      .toList());
      List<LevelGaps> idleGaps =
          list(m.getIdleGaps()).stream()
              .map(
                  g ->
                      new LevelGaps(
                          g.getLevel(),
                          g.getLastNeeded(),
                          g.getArrivalsPerSecond(),
                          g.getLastBurstPerSecond() == null ? 0 : g.getLastBurstPerSecond(),
                          list(g.getGaps())))
              .toList();
      return Optional.of(
          new ScalerState(
              recommendations,
              readings,
              arrivals,
              last,
              service,
              podStart,
              orZero(m.getLastScaleTime()),
              orZero(m.getLastQueuedTime()),
              idleGaps));
    } catch (NullPointerException e) {
      throw new IllegalArgumentException("status.autoscaler.memory has a field without a value", e);
    }
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
