package io.fluxops.metering.counting;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.metering.config.ServerApi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageCounterTest {

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          NIM    | {"artifacts": [{"base64": "QQ==", "finishReason": "SUCCESS", "seed": 1}]}          | 1
          NIM    | {"artifacts": [{"finishReason": "CONTENT_FILTERED"}, {"finishReason": "ERROR"}]}  | 0
          NIM    | {"artifacts": [], "extra": {"nested": [1, {"finishReason": "SUCCESS"}]}}          | 0
          NIM    | {"artifacts": [{"finishReason": "SUCCESS"}]} trailing                             | none
          NIM    | {"artifacts": [{"finishReason": "SUCCESS"}]                                       | none
          NIM    | {"images": [{"finishReason": "SUCCESS"}]}                                         | none
          NIM    | [{"finishReason": "SUCCESS"}]                                                     | none
          OPENAI | {"created": 1, "data": [{"b64_json": "QQ=="}, {"url": "https://x/1.png"}]}       | 2
          OPENAI | {"data": [{"revised_prompt": "a cat"}]}                                           | 0
          OPENAI | {"error": {"message": "bad"}}                                                     | none
          """)
  void countsOnlyWhatAWholeAnswerOfTheApiSays(ServerApi api, String body, String expected)
      throws IOException {
    OptionalLong images =
        ImageCounter.count(api, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));

    if (expected.equals("none")) {
      assertThat(images).isEmpty();
    } else {
      assertThat(images).hasValue(Long.parseLong(expected));
    }
  }
}
