package io.fluxops.operator.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads a whole number field of a FluxDeployment without ever failing. The CRD's schema stops such
 * values at the API server; where none did (no schema, an older CRD), a number too large for an int
 * or a number written as a string must not make the whole FluxDeployment unreadable: that would
 * stop the operator's informer for every FluxDeployment. Out-of-range values saturate, and the
 * validator then reports them as out of range; text that is no number becomes {@link
 * Integer#MIN_VALUE}, which no field accepts.
 */
final class LenientInt extends StdDeserializer<Integer> {

  LenientInt() {
    super(Integer.class);
  }

  @Override
  public Integer deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return saturate(parser.getDecimalValue());
    }
    if (token == JsonToken.VALUE_STRING) {
      try {
        return saturate(new BigDecimal(parser.getText().trim()));
      } catch (NumberFormatException e) {
        return Integer.MIN_VALUE;
      }
    }
    parser.skipChildren();
    return Integer.MIN_VALUE;
  }

  private static int saturate(BigDecimal value) {
    if (value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      return Integer.MAX_VALUE;
    }
    if (value.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0) {
      return Integer.MIN_VALUE;
    }
    return value.intValue();
  }
}
