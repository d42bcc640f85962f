package io.fluxops.autoscale;

/**
 * The workload's size as the operator sees it at the time of a decision.
 *
 * @param current replicas asked for (the Deployment's {@code spec.replicas})
 * @param ready pods that serve
 * @param starting pods that exist but do not serve yet: pending for a GPU, pulling, loading the
 *     model or building a TensorRT engine
 */
public record Replicas(int current, int ready, int starting) {

  /** Validates the counts. */
  public Replicas {
    if (current < 0 || ready < 0 || starting < 0) {
      throw new IllegalArgumentException(
          "replica counts must be >= 0: current="
              + current
              + " ready="
              + ready
              + " starting="
              + starting);
    }
  }

  /** Counts where every pod asked for but not ready is taken to be starting. */
  public static Replicas of(int current, int ready) {
    return new Replicas(current, ready, Math.max(0, current - ready));
  }

  /** What is left after shrinking to {@code size}: starting pods are removed first. */
  Replicas shrunkTo(int size) {
    int left = Math.min(ready, size);
    return new Replicas(size, left, size - left);
  }

  /** A workload whose pods all serve. */
  public static Replicas allReady(int current) {
    return new Replicas(current, current, 0);
  }
}
