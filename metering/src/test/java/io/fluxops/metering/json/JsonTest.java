package io.fluxops.metering.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  @Test
  void parsesEveryKindOfValue() throws JsonProcessingException {
    Object value =
        Json.parse(
            "{\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"\\u00e9\\n\\\"x\\\"\"}}");

    assertThat(value)
        .isEqualTo(
            Map.of(
                "a",
                Arrays.asList(1, new BigDecimal("-2.5e3"), true, false, null),
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
        "{'a': 1}",
        "[1 2]",
        "01",
        "1.",
        "-",
        "1e",
        "1e-99999999999",
        "NaN",
        "\"unterminated",
        "\"bad \\q escape\"",
        "\"control \u0001 character\"",
        "{\"a\": 1} trailing",
        "{\"a\": 1} {}",
        "{\"a\": 1} // comment",
        "{\"a\": 1, \"a\": 2}",
        "tru",
        "nul"
      })
  void rejectsWhatIsNotStrictJson(String text) {
    assertThatThrownBy(() -> Json.parse(text))
        .isInstanceOfSatisfying(
            JsonProcessingException.class,
            e -> assertThat(Json.problem(e)).startsWith("malformed JSON"));
  }

  @Test
  void saysWhereAndWhy() {
    assertThatThrownBy(() -> Json.parse("{\"a\": [1, 2}"))
        .isInstanceOfSatisfying(
            JsonProcessingException.class,
            e ->
                assertThat(Json.problem(e))
                    .startsWith("malformed JSON at line 1, column 12: ")
                    .contains("Array starting at line 1, column 7")
                    .doesNotContain("Source", "REDACTED"));
    assertThatThrownBy(() -> Json.parse("{\"a\": 1"))
        .isInstanceOfSatisfying(
            JsonProcessingException.class,
            e -> assertThat(Json.problem(e)).doesNotContain("Source", "REDACTED"));
  }

  @Test
  void limitsNesting() {
    assertThat(catchProblem("[".repeat(32) + "]".repeat(32))).isNull();
    assertThat(catchProblem("[".repeat(100) + "]".repeat(100)))
        .isEqualTo("malformed JSON: Document nesting depth (33) exceeds the maximum allowed (32)");
  }

  @Test
  void writesMembersInOrderWithNullsAndNestedObjects() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("x", 1L);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("s", "a\"b\\c\nd");
    object.put("n", 5L);
    object.put("b", true);
    object.put("none", null);
    object.put("o", nested);

    assertThat(Json.write(object))
        .isEqualTo("{\"s\":\"a\\\"b\\\\c\\nd\",\"n\":5,\"b\":true,\"none\":null,\"o\":{\"x\":1}}");
  }

  private static String catchProblem(String text) {
    try {
      Json.parse(text);
      return null;
    } catch (JsonProcessingException e) {
      return Json.problem(e);
    }
  }
}
