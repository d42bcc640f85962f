package io.fluxops.operator.cost;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * What a FluxDeployment's GPUs cost and made over a trailing window: samples of the images counted
 * so far and the GPUs held at each moment, turned into images per second and cost per image. Pure:
 * time comes from the injected {@link Clock}.
 */
public final class CostWindow {

  /** The trailing window the figures average over. */
  public static final Duration WINDOW = Duration.ofHours(1);

  private static final double SECONDS_PER_MONTH = 30 * 24 * 3600.0;

  /** One observation: images counted so far (monotonic), and GPUs held from this moment on. */
  private record Sample(Instant at, long images, int gpus) {}

  /**
   * The window's figures.
   *
   * @param imagesPerSecond images generated per second over the window
   * @param gpuUsdPerHour the average GPU spend per hour over the window
   * @param costPerImageUsd GPU spend divided by images; empty when no image was made
   * @param apiPricePerImageUsd the managed API's price per image
   */
  public record Figures(
      double imagesPerSecond,
      double gpuUsdPerHour,
      Optional<Double> costPerImageUsd,
      double apiPricePerImageUsd) {

    /** What the images would have cost on the managed API minus the GPUs, over 30 days. */
    public double projectedMonthlySavingUsd() {
      return (imagesPerSecond * apiPricePerImageUsd - gpuUsdPerHour / 3600.0) * SECONDS_PER_MONTH;
    }
  }

  private final Clock clock;
  private final Duration window;
  private final Deque<Sample> samples = new ArrayDeque<>();

  public CostWindow(Clock clock) {
    this(clock, WINDOW);
  }

  public CostWindow(Clock clock, Duration window) {
    this.clock = clock;
    this.window = window;
  }

  /** Records the images counted so far and the GPUs held now. */
  public synchronized void record(long imagesSoFar, int gpus) {
    Instant now = clock.instant();
    samples.addLast(new Sample(now, imagesSoFar, gpus));
    // Keep one sample at or before the window's start, so the window is covered from its start.
    Instant start = now.minus(window);
    while (samples.size() > 2) {
      var it = samples.iterator();
      it.next();
      if (!it.next().at().isAfter(start)) {
        samples.removeFirst();
      } else {
        break;
      }
    }
  }

  /**
   * The figures over the window, or empty until two samples span some time.
   *
   * @param gpuHourlyPriceUsd what one GPU costs per hour
   */
  public synchronized Optional<Figures> figures(
      double gpuHourlyPriceUsd, double apiPricePerImageUsd) {
    if (samples.size() < 2) {
      return Optional.empty();
    }
    // From the oldest kept sample, at most one poll before the window's start, to the newest.
    double gpuSeconds = 0;
    Sample previous = null;
    for (Sample s : samples) {
      if (previous != null) {
        gpuSeconds += previous.gpus() * (Duration.between(previous.at(), s.at()).toMillis() / 1e3);
      }
      previous = s;
    }
    double seconds =
        Duration.between(samples.getFirst().at(), samples.getLast().at()).toMillis() / 1e3;
    if (seconds <= 0) {
      return Optional.empty();
    }
    long images = Math.max(0, samples.getLast().images() - samples.getFirst().images());
    double gpuUsd = gpuSeconds / 3600.0 * gpuHourlyPriceUsd;
    Optional<Double> perImage = images > 0 ? Optional.of(gpuUsd / images) : Optional.empty();
    return Optional.of(
        new Figures(images / seconds, gpuUsd / (seconds / 3600.0), perImage, apiPricePerImageUsd));
  }
}
