package io.fluxops.metering.counting;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.fluxops.metering.journal.PromptKey;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads ComfyUI's {@code GET /history} answer, streaming, keeping of each finished prompt only what
 * counting needs. The shape is ComfyUI's own ({@code PromptQueue.task_done} and {@code get_history}
 * in execution.py, {@code prompt_worker} in main.py, the {@code /history} routes in server.py):
 *
 * <pre>
 * {"&lt;prompt_id&gt;": {
 *    "prompt": [number, prompt_id, {graph}, {extra_data}, [output node ids]],
 *    "outputs": {"&lt;node id&gt;": {"images": [{"filename", "subfolder", "type"}], ...}},
 *    "status": {"status_str": "success"|"error", "completed": bool,
 *               "messages": [["execution_start", {"prompt_id", "timestamp"}],
 *                            ["execution_cached", {"nodes": [...], ...}], ...]},
 *    "meta": {...}}, ...}
 * </pre>
 *
 * in the order ComfyUI finished them, oldest first. The workflow graph and its extra data (often
 * the whole UI workflow, tens of kilobytes a prompt) are skipped without being held, so a page of
 * thousands of prompts costs the sidecar little memory.
 */
public final class ComfyUiHistory {
  /**
   * No duplicate detection (Python's json never writes a name twice, and skipping a workflow should
   * not build name sets), and room for workflows nested deeper than the sidecar's own JSON allows.
   */
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build())
          .build();

  private ComfyUiHistory() {}

  /**
   * One finished prompt.
   *
   * @param id the prompt id
   * @param number its number in the queue (ComfyUI's {@code prompt[0]}), as written
   * @param startedAt the {@code timestamp} of its {@code execution_start} message, as written;
   *     empty in ComfyUI versions whose messages carry none
   * @param status {@code status_str}: {@code success} or {@code error}; empty in versions before it
   * @param saved images of {@code type: output} per node, left out the nodes ComfyUI reports as
   *     cached (their images were saved by an earlier prompt and are shown again, not saved again)
   * @param silentOutputs output nodes it ran ({@code prompt[4]}, not cached) that show nothing in
   *     {@code outputs}: a node such as {@code SaveImageWebsocket} hands its images to a client
   *     without listing them, so they cannot be counted here
   */
  public record FinishedPrompt(
      String id,
      String number,
      String startedAt,
      String status,
      Map<String, Integer> saved,
      List<String> silentOutputs) {

    /** Images this prompt saved. */
    public long savedImages() {
      long sum = 0;
      for (int n : saved.values()) {
        sum += n;
      }
      return sum;
    }

    /**
     * What the journal remembers this run by. A client may choose its own {@code prompt_id}
     * (server.py, {@code post_prompt}) and use it again later; the number and the start time tell
     * such runs apart. Part of the journal's format: never change how it is built.
     */
    public PromptKey key() {
      return PromptKey.of("comfyui\n" + id + "\n" + number + "\n" + startedAt);
    }
  }

  /** The prompts in one {@code /history} answer, oldest first. */
  public static List<FinishedPrompt> read(InputStream body) throws IOException {
    List<FinishedPrompt> prompts = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(body)) {
      expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "the history");
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String id = parser.currentName();
        parser.nextToken();
        prompts.add(entry(parser, id));
      }
      expect(parser, parser.currentToken(), JsonToken.END_OBJECT, "the end of the history");
      if (parser.nextToken() != null) {
        throw new MalformedHistory("text after the history");
      }
    }
    return prompts;
  }

  private static FinishedPrompt entry(JsonParser parser, String id) throws IOException {
    expect(parser, parser.currentToken(), JsonToken.START_OBJECT, "prompt " + id);
    Tuple tuple = null;
    Map<String, Integer> images = new LinkedHashMap<>();
    Set<String> shown = new HashSet<>();
    Status status = new Status();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "prompt" -> tuple = tuple(parser, id);
        case "outputs" -> outputs(parser, images, shown);
        case "status" -> status(parser, status);
        default -> parser.skipChildren();
      }
    }
    if (tuple == null) {
      throw new MalformedHistory("prompt " + id + " has no \"prompt\" with its number");
    }
    images.keySet().removeAll(status.cached);
    List<String> silent = new ArrayList<>();
    for (String output : tuple.outputs()) {
      if (!shown.contains(output) && !status.cached.contains(output)) {
        silent.add(output);
      }
    }
    return new FinishedPrompt(
        id,
        tuple.number(),
        status.startedAt,
        status.status,
        Map.copyOf(images),
        List.copyOf(silent));
  }

  /** What counting needs of the queue tuple: its number and the output nodes it ran. */
  private record Tuple(String number, List<String> outputs) {}

  /**
   * {@code prompt[0]}, the prompt's number, and {@code prompt[4]}, the output nodes to execute; the
   * workflow and its extra data are skipped.
   */
  private static Tuple tuple(JsonParser parser, String id) throws IOException {
    expect(parser, parser.currentToken(), JsonToken.START_ARRAY, "the \"prompt\" of " + id);
    JsonToken first = parser.nextToken();
    if (first != JsonToken.VALUE_NUMBER_INT && first != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new MalformedHistory("the \"prompt\" of " + id + " does not start with its number");
    }
    String number = parser.getText();
    List<String> outputs = new ArrayList<>();
    int index = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      index++;
      if (index == 4 && parser.currentToken() == JsonToken.START_ARRAY) {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          if (parser.currentToken() == JsonToken.VALUE_STRING) {
            outputs.add(parser.getText());
          } else {
            parser.skipChildren();
          }
        }
      } else {
        parser.skipChildren();
      }
    }
    return new Tuple(number, outputs);
  }

  /** Counts, per node, the {@code images} entries whose {@code type} is {@code output}. */
  private static void outputs(JsonParser parser, Map<String, Integer> images, Set<String> shown)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String node = parser.currentName();
      shown.add(node);
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        continue;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String media = parser.currentName();
        JsonToken value = parser.nextToken();
        if (media.equals("images") && value == JsonToken.START_ARRAY) {
          int saved = savedImages(parser);
          images.merge(node, saved, Integer::sum);
        } else {
          parser.skipChildren();
        }
      }
    }
  }

  private static int savedImages(JsonParser parser) throws IOException {
    int saved = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        continue;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("type") && value == JsonToken.VALUE_STRING) {
          // SaveImage writes "output"; PreviewImage "temp" (nodes.py), which is not kept.
          if (parser.getText().equals("output")) {
            saved++;
          }
        } else {
          parser.skipChildren();
        }
      }
    }
    return saved;
  }

  private static final class Status {
    String status = "";
    String startedAt = "";
    final Set<String> cached = new HashSet<>();
  }

  private static void status(JsonParser parser, Status status) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("status_str") && value == JsonToken.VALUE_STRING) {
        status.status = parser.getText();
      } else if (field.equals("messages") && value == JsonToken.START_ARRAY) {
        messages(parser, status);
      } else {
        parser.skipChildren();
      }
    }
  }

  /** {@code [[event, {data}], ...]}, as {@code PromptExecutor.add_message} collects them. */
  private static void messages(JsonParser parser, Status status) throws IOException {
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        parser.skipChildren();
        continue;
      }
      String event = parser.nextToken() == JsonToken.VALUE_STRING ? parser.getText() : "";
      if (parser.currentToken() == JsonToken.END_ARRAY) {
        continue;
      }
      parser.skipChildren();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() == JsonToken.START_OBJECT
            && (event.equals("execution_cached") || event.equals("execution_start"))) {
          messageData(parser, event, status);
        } else {
          parser.skipChildren();
        }
      }
    }
  }

  private static void messageData(JsonParser parser, String event, Status status)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (event.equals("execution_cached")
          && field.equals("nodes")
          && value == JsonToken.START_ARRAY) {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          if (parser.currentToken() == JsonToken.VALUE_STRING) {
            status.cached.add(parser.getText());
          } else {
            parser.skipChildren();
          }
        }
      } else if (event.equals("execution_start")
          && field.equals("timestamp")
          && value.isNumeric()) {
        status.startedAt = parser.getText();
      } else {
        parser.skipChildren();
      }
    }
  }

  private static void expect(JsonParser parser, JsonToken token, JsonToken expected, String what)
      throws MalformedHistory {
    if (token != expected) {
      throw new MalformedHistory(
          "expected "
              + what
              + " to be "
              + (expected == JsonToken.START_OBJECT
                  ? "an object"
                  : expected == JsonToken.START_ARRAY ? "an array" : "closed")
              + ", found "
              + (token == null ? "the end of the answer" : token.asString())
              + " at offset "
              + parser.currentLocation().getByteOffset());
    }
  }

  /** An answer that is not ComfyUI's history. */
  public static final class MalformedHistory extends IOException {
    MalformedHistory(String message) {
      super(message);
    }
  }
}
