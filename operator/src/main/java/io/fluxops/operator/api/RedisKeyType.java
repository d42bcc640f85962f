package io.fluxops.operator.api;

/** The Redis data type that holds queued jobs. */
public enum RedisKeyType implements ApiEnum {
  LIST("list"),
  STREAM("stream");

  private final String value;

  RedisKeyType(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
