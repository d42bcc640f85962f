package io.fluxops.metering.counting;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.metering.config.ServerApi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
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
          NIM    | {"artifacts": [{"finishReason": "SUCCESS"}]}  {}                                  | none
          NIM    | {"artifacts": [{"finishReason": "SUCCESS"}]                                       | none
          NIM    | {"images": [{"finishReason": "SUCCESS"}]}                                         | none
          NIM    | [{"finishReason": "SUCCESS"}]                                                     | none
          NIM    | {"artifacts": [{"finishReason": "SUCCESS"}, 7]}                                   | none
          NIM    | {"artifacts": {"finishReason": "SUCCESS"}}                                        | none
          NIM    | {"artifacts": [{"finishReason": "SUCCESS", "finishReason": null}]}                | 0
          NIM    | {"artifacts": [{"finish\\u0052eason": "SUC\\u0043ESS"}]}                          | 1
          NIM    | {"artifacts": [{"finishReason": "SUCCESS "}, {"finishReason": "SUCCESS"}]}        | 1
          NIM    | {"artifacts": [{"x": {"finishReason": "SUCCESS"}, "finishReason": "ERROR"}]}      | 0
          NIM    | {"artifacts": [{"finishReason": "SUCCESS"}], "artifacts": []}                     | 0
          NIM    | {"artifacts": [{"base64": "a\\"b\\\\c\\/d\\n", "finishReason": "SUCCESS"}]}         | 1
          NIM    | {"artifacts": [{"base64": "a\\xb", "finishReason": "SUCCESS"}]}                   | none
          NIM    | {"artifacts": [{"base64": "a\\u00zz", "finishReason": "SUCCESS"}]}                | none
          NIM    | {"artifacts": [{"seed": -12.5e+3, "n": 0, "t": true, "f": false, "z": null, "finishReason": "SUCCESS"}]} | 1
          NIM    | {"artifacts": [{"seed": 01, "finishReason": "SUCCESS"}]}                          | none
          NIM    | {"artifacts": [{"seed": 1., "finishReason": "SUCCESS"}]}                          | none
          NIM    | {"artifacts": [{"seed": -, "finishReason": "SUCCESS"}]}                           | none
          NIM    | {"artifacts": [{"seed": 1e, "finishReason": "SUCCESS"}]}                          | none
          NIM    | {"artifacts": [{"seed": tru, "finishReason": "SUCCESS"}]}                         | none
          NIM    | {"artifacts": [{"finishReason": "SUCCESS",}]}                                     | none
          NIM    | {"artifacts": [{"finishReason": "SUCCESS"},]}                                     | none
          NIM    | {"artifacts": [{"finishReason" "SUCCESS"}]}                                       | none
          NIM    | {"artifacts": [{"finishReason": "SUCCESS"}] "seed": 1}                            | none
          OPENAI | {"created": 1, "data": [{"b64_json": "QQ=="}, {"url": "https://x/1.png"}]}       | 2
          OPENAI | {"data": [{"revised_prompt": "a cat"}]}                                           | 0
          OPENAI | {"data": [{"url": null}, {"b64_json": 5}]}                                        | 0
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

  @Test
  void anAnswerSplitAnywhereCountsTheSameAsWhole() {
    String body =
        "{\"artifacts\": [{\"base64\": \"QUJD\\\"RA==\", \"finishReason\": \"SUCCESS\","
            + " \"seed\": -1.5E-2}, {\"finish\\u0052eason\": \"SUCCESS\"},"
            + " {\"finishReason\": \"CONTENT_FILTERED\", \"t\": [true, false, null]}]}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

    for (int split = 0; split <= bytes.length; split++) {
      ImageCounter counter = new ImageCounter(ServerApi.NIM);
      counter.feed(bytes, 0, split);
      counter.feed(bytes, split, bytes.length - split);
      assertThat(counter.images()).as("split at %d", split).hasValue(2);
    }
    ImageCounter byteByByte = new ImageCounter(ServerApi.NIM);
    for (int i = 0; i < bytes.length; i++) {
      byteByByte.feed(bytes, i, 1);
    }
    assertThat(byteByByte.images()).hasValue(2);
  }

  @Test
  void aLongImageIsSkippedUpToItsQuoteWhereverTheQuoteFalls() {
    // The skip looks at eight bytes at a time: the quote, an escape or a control character at
    // every position of a word must still be found.
    for (int length = 0; length < 40; length++) {
      char[] image = new char[length];
      Arrays.fill(image, 'Q');
      String base64 = new String(image);
      assertThat(
              nimCount(
                  "{\"artifacts\": [{\"base64\": \""
                      + base64
                      + "\", \"finishReason\": \"SUCCESS\"}]}"))
          .as("length %d", length)
          .hasValue(1);
      assertThat(
              nimCount(
                  "{\"artifacts\": [{\"base64\": \""
                      + base64
                      + "\\\"\\u0041\", \"finishReason\": \"SUCCESS\"}]}"))
          .as("escapes after %d", length)
          .hasValue(1);
      assertThat(
              nimCount(
                  "{\"artifacts\": [{\"base64\": \""
                      + base64
                      + "\n\", \"finishReason\": \"SUCCESS\"}]}"))
          .as("a raw newline after %d", length)
          .isEmpty();
    }
  }

  @Test
  void aDocumentNestedBeyondTheLimitIsNotCounted() {
    String deep = "[".repeat(ImageCounter.MAX_DEPTH) + "]".repeat(ImageCounter.MAX_DEPTH);
    assertThat(nimCount("{\"artifacts\": [], \"x\": " + deep + "}")).isEmpty();
    String fits = "[".repeat(ImageCounter.MAX_DEPTH - 1) + "]".repeat(ImageCounter.MAX_DEPTH - 1);
    assertThat(nimCount("{\"artifacts\": [], \"x\": " + fits + "}")).hasValue(0);
  }

  private static OptionalLong nimCount(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ImageCounter counter = new ImageCounter(ServerApi.NIM);
    counter.feed(bytes, 0, bytes.length);
    return counter.images();
  }
}
