package io.fluxops.metering.journal;

/** The journal could not make an event durable; the event did not happen. */
public final class JournalException extends Exception {
  private static final long serialVersionUID = 1L;

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
