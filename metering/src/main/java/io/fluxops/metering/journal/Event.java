package io.fluxops.metering.journal;

/**
 * One durable fact about image counts.
 *
 * @param type what happened
 * @param images how many images it concerns (0 only for an {@link EventType#OBSERVE} that moves the
 *     counter baseline without an increase, e.g. after a reset)
 * @param atMillis when it happened, epoch milliseconds
 * @param counter for {@link EventType#OBSERVE}: the scraped counter's value; otherwise NaN
 */
public record Event(EventType type, long images, long atMillis, double counter) {

  public Event {
    if (images < 0) {
      throw new IllegalArgumentException("images must not be negative: " + images);
    }
  }

  static Event of(EventType type, long images, long atMillis) {
    return new Event(type, images, atMillis, Double.NaN);
  }
}
