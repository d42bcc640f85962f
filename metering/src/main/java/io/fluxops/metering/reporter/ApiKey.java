package io.fluxops.metering.reporter;

/**
 * The BFL API key. Its {@code toString} never shows the value, so that it cannot reach a log or an
 * exception message by accident.
 */
public final class ApiKey {
  private final String value;

  ApiKey(String value) {
    this.value = value;
  }

  /** The key, for the {@code x-key} header and nothing else. */
  String value() {
    return value;
  }

  /** {@code text} with every occurrence of the key blanked out. */
  public String redact(String text) {
    return text == null ? null : text.replace(value, "[redacted]");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiKey key && key.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "ApiKey[redacted]";
  }
}
