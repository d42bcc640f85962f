package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An enum whose constants are written in a FluxDeployment as lower-case strings. The CR classes
 * keep such fields as {@code String} (the CRD lists the allowed values), so that a value the API
 * server did not check still reaches the operator and gets a clear {@code InvalidSpec} message
 * instead of failing deserialisation.
 */
public interface ApiEnum {

  /** The value as written in YAML. */
  @JsonValue
  String value();

  /** The constant written as {@code value}, if there is one. */
  static <E extends Enum<E> & ApiEnum> Optional<E> parse(Class<E> type, String value) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> e.value().equals(value)).findFirst();
  }

  /** The values a user may write, for error messages: {@code "a, b, c"}. */
  static <E extends Enum<E> & ApiEnum> String allowed(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(ApiEnum::value)
        .collect(Collectors.joining(", "));
  }
}
