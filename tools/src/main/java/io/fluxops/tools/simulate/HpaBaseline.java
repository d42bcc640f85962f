package io.fluxops.tools.simulate;

import io.fluxops.autoscale.Replicas;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The Kubernetes HPA with its default behaviour, on the queue depth as an external metric with an
 * {@code AverageValue} target: {@code desired = ceil(current × (queue / current) / target)},
 * skipped within the 10 % tolerance; a 15 s sync period; scale-up stabilization 0 s with the
 * default policies (at most the larger of +100 % and +4 pods per 15 s); scale-down stabilization
 * 300 s (the highest recommendation of the last five minutes) with at most −100 % per 15 s. An HPA
 * never goes below one replica.
 */
public final class HpaBaseline implements ScalingStrategy {

  /** The kube-controller-manager's default {@code --horizontal-pod-autoscaler-sync-period}. */
  public static final double SYNC_SECONDS = 15;

  /** The HPA's default scale-down stabilization window. */
  public static final double DEFAULT_DOWN_WINDOW_SECONDS = 300;

  private static final double TOLERANCE = 0.1;

  private final int maxReplicas;
  private final double target;
  private final long downWindowMillis;
  private final Deque<long[]> recommendations = new ArrayDeque<>();

  /** An HPA between 1 and {@code maxReplicas} aiming at {@code target} queued images per pod. */
  public HpaBaseline(int maxReplicas, double target) {
    this(maxReplicas, target, DEFAULT_DOWN_WINDOW_SECONDS);
  }

  /** The same with another scale-down stabilization window, in seconds. */
  public HpaBaseline(int maxReplicas, double target, double downWindowSeconds) {
    this.maxReplicas = maxReplicas;
    this.target = target;
    this.downWindowMillis = Math.round(downWindowSeconds * 1000);
  }

  @Override
  public String name() {
    return "hpa";
  }

  @Override
  public double pollSeconds() {
    return SYNC_SECONDS;
  }

  @Override
  public int initialReplicas(int warm) {
    return Math.max(1, Math.min(maxReplicas, warm));
  }

  @Override
  public int poll(Instant now, double queueDepth, Replicas replicas) {
    return sync(now, queueDepth, replicas.current(), 1);
  }

  /** One HPA sync, with a floor of {@code minReplicas} (KEDA hands the HPA a floor of 1). */
  int sync(Instant now, double queueDepth, int current, int minReplicas) {
    if (current == 0) {
      return 0; // an HPA does nothing at zero; KEDA's activation takes it from there
    }
    double ratio = queueDepth / (target * current);
    int recommendation =
        Math.abs(ratio - 1) <= TOLERANCE ? current : (int) Math.ceil(queueDepth / target - 1e-9);
    recommendation = Math.max(minReplicas, Math.min(maxReplicas, recommendation));
    long nowMillis = now.toEpochMilli();
    if (recommendations.isEmpty()) {
      // Start as an HPA that had been running at this size, not one created this instant.
      recommendations.add(new long[] {nowMillis, current});
    }
    recommendations.removeIf(r -> r[0] <= nowMillis - downWindowMillis);
    int down = recommendation;
    for (long[] r : recommendations) {
      down = (int) Math.max(down, r[1]);
    }
    recommendations.add(new long[] {nowMillis, recommendation});
    int desired = current;
    if (desired < recommendation) {
      desired = recommendation;
    }
    if (desired > down) {
      desired = down;
    }
    int upLimit = Math.max(2 * current, current + 4);
    return Math.max(minReplicas, Math.min(Math.min(desired, upLimit), maxReplicas));
  }
}
