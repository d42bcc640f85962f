package io.fluxops.tools.simulate;

import io.fluxops.autoscale.Replicas;
import java.time.Instant;

/**
 * KEDA with its defaults: its operator polls the scaler every 30 s and activates 0 → 1 as soon as
 * the queue is above the activation threshold (0), and deactivates 1 → 0 once the queue has not
 * been above it for the 300 s cooldown; between 1 and N it hands over to an HPA ({@link
 * HpaBaseline}, synced every 15 s), which reads the metric fresh through KEDA's metrics server.
 */
public final class KedaBaseline implements ScalingStrategy {

  /** KEDA's default {@code pollingInterval}. */
  public static final double POLLING_SECONDS = 30;

  /** KEDA's default {@code cooldownPeriod}. */
  public static final double COOLDOWN_SECONDS = 300;

  private final HpaBaseline hpa;
  private double nextKedaPoll;
  private double nextHpaSync;
  private double lastActive; // as if it had been active when the trace starts

  /** KEDA between 0 and {@code maxReplicas}, targeting {@code target} queued images per pod. */
  public KedaBaseline(int maxReplicas, double target) {
    this(maxReplicas, target, HpaBaseline.DEFAULT_DOWN_WINDOW_SECONDS);
  }

  /** The same with another scale-down stabilization window for its HPA, in seconds. */
  public KedaBaseline(int maxReplicas, double target, double downWindowSeconds) {
    this.hpa = new HpaBaseline(maxReplicas, target, downWindowSeconds);
  }

  @Override
  public String name() {
    return "keda";
  }

  @Override
  public double pollSeconds() {
    // The greatest common step of KEDA's 30 s poll and the HPA's 15 s sync.
    return HpaBaseline.SYNC_SECONDS;
  }

  @Override
  public int initialReplicas(int warm) {
    return hpa.initialReplicas(warm) * Integer.signum(warm);
  }

  @Override
  public int poll(Instant now, double queueDepth, Replicas replicas) {
    double seconds = (now.toEpochMilli() - Simulator.EPOCH.toEpochMilli()) / 1000.0;
    int desired = replicas.current();
    if (seconds + 1e-9 >= nextKedaPoll) {
      nextKedaPoll = seconds + POLLING_SECONDS;
      if (queueDepth > 0) {
        lastActive = seconds;
        if (desired == 0) {
          desired = 1;
        }
      } else if (desired > 0 && seconds - lastActive >= COOLDOWN_SECONDS) {
        desired = 0;
      }
    }
    if (desired > 0 && seconds + 1e-9 >= nextHpaSync) {
      nextHpaSync = seconds + HpaBaseline.SYNC_SECONDS;
      desired = hpa.sync(now, queueDepth, desired, 1);
    }
    return desired;
  }
}
