package io.fluxops.queue;

/**
 * Where a workload's queue depth (queued plus running generations) is read from. Implementations do
 * I/O and sit at the edge; the scaler only sees the {@link QueueReading} they return.
 *
 * <p>{@link #read()} never throws for a failure a user or the network can cause: it returns a
 * reading that says what went wrong, so the scaler can hold the size and the operator can say why
 * in the {@code Autoscaling} condition.
 */
public interface QueueSource extends AutoCloseable {

  /** Reads the queue once; blocks at most about the source's timeout. */
  QueueReading read();

  /** Releases connections and threads; the default has none. */
  @Override
  default void close() {}
}
