package io.fluxops.metering.counting;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fluxops.metering.config.ServerApi;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * Counts the images in a successful response of a {@link ServerApi}, reading it as a stream: the
 * base64 images are skipped, never held, so a 10 MB response costs a parser buffer of memory.
 */
public final class ImageCounter {
  private static final JsonFactory JSON = new JsonFactory();

  private ImageCounter() {}

  /**
   * The images in the JSON document {@code body}, or empty when it is not a complete document of
   * the API's shape (cut off, malformed, another shape): then nothing may be counted.
   */
  public static OptionalLong count(ServerApi api, InputStream body) throws IOException {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return OptionalLong.empty();
      }
      String list = api == ServerApi.NIM ? "artifacts" : "data";
      long images = -1;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals(list) && value == JsonToken.START_ARRAY) {
          images = entries(api, parser);
        } else {
          parser.skipChildren();
        }
      }
      // The document must end here and the stream with it: anything else is not one answer.
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null || images < 0) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(images);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return OptionalLong.empty();
    }
  }

  /** Counts the array's entries that are images; the parser is on its START_ARRAY. */
  private static long entries(ServerApi api, JsonParser parser) throws IOException {
    long images = 0;
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      boolean image = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (api == ServerApi.NIM && name.equals("finishReason")) {
          image = value == JsonToken.VALUE_STRING && parser.getText().equals("SUCCESS");
        } else if (api == ServerApi.OPENAI && (name.equals("b64_json") || name.equals("url"))) {
          image |= value == JsonToken.VALUE_STRING;
        } else {
          parser.skipChildren();
        }
      }
      if (image) {
        images++;
      }
    }
    return images;
  }
}
