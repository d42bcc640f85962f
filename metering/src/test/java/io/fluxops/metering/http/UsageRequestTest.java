package io.fluxops.metering.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxops.metering.metrics.MeteringMetrics.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageRequestTest {
  @Test
  void readsBflsRequestShape() throws UsageRequest.Rejection {
    assertThat(UsageRequest.parse("{\"number_of_generations\": 1}")).isEqualTo(1);
    assertThat(UsageRequest.parse(" {\"number_of_generations\":250} \n")).isEqualTo(250);
    assertThat(UsageRequest.parse("{\"number_of_generations\": 3, \"model\": \"x\"}")).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"number_of_generations\": 0}|INVALID_COUNT|must be positive",
        "{\"number_of_generations\": -4}|INVALID_COUNT|must be positive",
        "{\"number_of_generations\": 1.5}|INVALID_COUNT|without fraction",
        "{\"number_of_generations\": 1.0}|INVALID_COUNT|without fraction",
        "{\"number_of_generations\": 1e3}|INVALID_COUNT|without fraction",
        "{\"number_of_generations\": 1e999999999}|INVALID_COUNT|without fraction",
        "{\"number_of_generations\": 1000001}|INVALID_COUNT|at most 1000000",
        "{\"number_of_generations\": 99999999999999999999999}|INVALID_COUNT|at most",
        "{\"number_of_generations\": 1000000000000000000000000000000}|INVALID_COUNT|at most",
        "{\"number_of_generations\": -1000000000000000000000000000000}|INVALID_COUNT|positive",
        "{\"number_of_generations\": \"5\"}|INVALID_COUNT|not a string",
        "{\"number_of_generations\": true}|INVALID_COUNT|not a boolean",
        "{\"number_of_generations\": null}|INVALID_COUNT|not null",
        "{\"number_of_generations\": [1]}|INVALID_COUNT|not an array",
        "{\"number_of_generations\": {}}|INVALID_COUNT|not an object",
        "{\"count\": 1}|INVALID_COUNT|is required",
        "[1]|MALFORMED|must be a JSON object",
        "null|MALFORMED|must be a JSON object",
        "{\"number_of_generations\": 1, \"number_of_generations\": 1000}|MALFORMED|Duplicate",
        "{\"number_of_generations\": 1} trailing|MALFORMED|malformed JSON",
        "{\"number_of_generations\": 1} {\"number_of_generations\": 2}|MALFORMED|after the JSON",
        "{\"number_of_generations\": 1,}|MALFORMED|malformed JSON",
        "{number_of_generations: 1}|MALFORMED|malformed JSON",
        "{\"number_of_generations\": 01}|MALFORMED|malformed JSON",
        "{\"number_of_generations\": 1e-99999999999}|MALFORMED|number out of range",
        "{\"number_of_generations\": 1|MALFORMED|malformed JSON",
        "number_of_generations=1|MALFORMED|malformed JSON",
      })
  void rejectsWhatIsNotAPositiveIntegerCount(String body, RejectReason reason, String message) {
    assertThatThrownBy(() -> UsageRequest.parse(body))
        .isInstanceOfSatisfying(
            UsageRequest.Rejection.class,
            e -> {
              assertThat(e.rejected().status()).isEqualTo(400);
              assertThat(e.rejected().reason()).isEqualTo(reason);
              assertThat(e.rejected().detail()).contains(message);
            });
  }

  @Test
  void rejectsDeepNesting() {
    String deep = "[".repeat(100) + "]".repeat(100);

    assertThatThrownBy(
            () -> UsageRequest.parse("{\"number_of_generations\": 1, \"x\": " + deep + "}"))
        .isInstanceOfSatisfying(
            UsageRequest.Rejection.class,
            e -> {
              assertThat(e.rejected().reason()).isEqualTo(RejectReason.MALFORMED);
              assertThat(e.rejected().detail()).contains("nesting depth");
            });
  }

  @Test
  void rejectsAnEmptyBody() {
    assertThatThrownBy(() -> UsageRequest.parse("  ")).hasMessageContaining("the body is empty");
  }
}
