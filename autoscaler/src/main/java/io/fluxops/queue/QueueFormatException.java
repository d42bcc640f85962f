package io.fluxops.queue;

/** An answer that could not be read as a queue depth; the message says what was expected. */
public class QueueFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  /** An unreadable answer, for the reason given. */
  public QueueFormatException(String message) {
    super(message);
  }

  /** An unreadable answer, for the reason given and its cause. */
  public QueueFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
