package io.fluxops.metering.journal;

/** What a journal event records. The codes are the on-disk format: never renumber them. */
public enum EventType {
  /** Images a client POSTed and got 200 for. */
  ACCEPT(1),
  /** An increase of the scraped counter (metric mode); also carries the counter's new value. */
  OBSERVE(2),
  /** A report of this many images is about to be sent to BFL. */
  SEND(3),
  /** BFL answered 200 for the open report. */
  REPORTED(4),
  /** The open report was certainly not recorded by BFL (it answered with an error status). */
  CANCEL(5),
  /** The open report's fate is unknown (timeout, reset): BFL may have recorded it. */
  AMBIGUOUS(6),
  /**
   * ComfyUI counting: the saved images of one finished prompt, with the prompt's key, in one
   * record, so that a crash never separates a count from the mark that it was made.
   */
  PROMPT(7),
  /**
   * ComfyUI counting: a prompt counted before the checkpoint it follows, carried over by compaction
   * so that it is not counted again; no images.
   */
  REMEMBER(8);

  private final byte code;

  EventType(int code) {
    this.code = (byte) code;
  }

  /** Whether records of this type carry a {@link PromptKey} (and are longer for it). */
  boolean carriesPrompt() {
    return this == PROMPT || this == REMEMBER;
  }

  byte code() {
    return code;
  }

  static EventType fromCode(byte code) {
    for (EventType type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    return null;
  }
}
