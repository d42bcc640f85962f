package io.fluxops.metering.journal;

/**
 * One durable fact about image counts.
 *
 * @param type what happened
 * @param images how many images it concerns (0 only for an {@link EventType#OBSERVE} that moves the
 *     counter baseline without an increase, e.g. after a reset, for a {@link EventType#PROMPT} that
 *     saved no image, and for {@link EventType#REMEMBER})
 * @param atMillis when it happened, epoch milliseconds
 * @param counter for {@link EventType#OBSERVE}: the scraped counter's value; otherwise NaN
 * @param prompt for {@link EventType#PROMPT} and {@link EventType#REMEMBER}: the prompt; otherwise
 *     null
 */
public record Event(EventType type, long images, long atMillis, double counter, PromptKey prompt) {

  public Event {
    if (images < 0) {
      throw new IllegalArgumentException("images must not be negative: " + images);
    }
    if ((prompt != null) != type.carriesPrompt()) {
      throw new IllegalArgumentException(
          type + " events " + (prompt == null ? "need" : "have no") + " prompt");
    }
  }

  /** An event that concerns no prompt. */
  public Event(EventType type, long images, long atMillis, double counter) {
    this(type, images, atMillis, counter, null);
  }

  static Event of(EventType type, long images, long atMillis) {
    return new Event(type, images, atMillis, Double.NaN);
  }

  static Event prompt(EventType type, PromptKey prompt, long images, long atMillis) {
    return new Event(type, images, atMillis, Double.NaN, prompt);
  }
}
