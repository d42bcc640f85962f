package io.fluxops.queue;

import io.fluxops.autoscale.Reading;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link QueueSource} read: the summed depth of the places that answered, how many answered,
 * and why the others did not.
 *
 * @param depth queued plus running generations summed over the places that answered
 * @param answered places (pods, servers) that answered
 * @param failures one message per place that did not answer, saying which and why
 */
public record QueueReading(double depth, int answered, List<String> failures) {

  /** Validates the reading and copies the failures. */
  public QueueReading {
    failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
    if (!(depth >= 0) || Double.isInfinite(depth) || answered < 0) {
      throw new IllegalArgumentException(
          "a reading needs a finite depth >= 0 and answered >= 0: " + depth + ", " + answered);
    }
  }

  /** A complete reading from one place. */
  public static QueueReading of(double depth) {
    return new QueueReading(depth, 1, List.of());
  }

  /** Nothing could be read, for the reason given. */
  public static QueueReading failed(String failure) {
    return new QueueReading(0, 0, List.of(failure));
  }

  /** True when nothing answered. */
  public boolean failed() {
    return answered == 0;
  }

  /** True when everything answered. */
  public boolean complete() {
    return answered > 0 && failures.isEmpty();
  }

  /**
   * The scaler's view: complete, partial (a lower bound, when only some places answered) or failed.
   */
  public Reading toReading() {
    if (failed()) {
      return Reading.failed(
          String.join("; ", failures.isEmpty() ? List.of("no answer") : failures));
    }
    if (failures.isEmpty()) {
      return Reading.of(depth);
    }
    return Reading.partial(
        depth,
        failures.size()
            + " of "
            + (answered + failures.size())
            + " did not answer: "
            + String.join("; ", failures));
  }
}
