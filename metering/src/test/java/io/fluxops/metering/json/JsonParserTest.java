package io.fluxops.metering.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonParserTest {
  @Test
  void parsesEveryKindOfValue() throws JsonException {
    Object value =
        JsonParser.parse(
            "{\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"\\u00e9\\n\\\"x\\\"\"}}");

    assertThat(value)
        .isEqualTo(
            Map.of(
                "a",
                List.of(
                    new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, JsonParser.NULL),
                "b",
                Map.of("c", "é\n\"x\"")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\" 1}",
        "{\"a\": 1,}",
        "{a: 1}",
        "[1 2]",
        "01",
        "1.",
        "-",
        "1e",
        "\"unterminated",
        "\"bad \\q escape\"",
        "{\"a\": 1} trailing",
        "{\"a\": 1, \"a\": 2}",
        "tru",
        "nul"
      })
  void rejectsMalformedJson(String text) {
    assertThatThrownBy(() -> JsonParser.parse(text))
        .isInstanceOf(JsonException.class)
        .hasMessageStartingWith("malformed JSON at character");
  }

  @Test
  void limitsNesting() {
    assertThatThrownBy(() -> JsonParser.parse("[".repeat(100) + "]".repeat(100)))
        .hasMessageContaining("nested too deeply");
  }

  @Test
  void writesEscapedStrings() {
    String json =
        new JsonWriter()
            .string("s", "a\"b\\c\nd\u0001")
            .number("n", 5)
            .bool("b", true)
            .string("none", null)
            .object("o", new JsonWriter().number("x", 1))
            .toJson();

    assertThat(json)
        .isEqualTo(
            "{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"n\":5,\"b\":true,\"none\":null,\"o\":{\"x\":1}}");
  }
}
