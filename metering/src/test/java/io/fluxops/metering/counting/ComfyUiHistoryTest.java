package io.fluxops.metering.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxops.metering.counting.ComfyUiHistory.FinishedPrompt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading {@code GET /history} answers in the shapes ComfyUI's versions write. */
class ComfyUiHistoryTest {

  @Test
  void readsSavedImagesPerNodeAndLeavesOutPreviewsAndCachedNodes() throws IOException {
    String answer =
        """
        {"a1": {"prompt": [7, "a1", {"9": {"class_type": "SaveImage", "inputs": {"images": ["8", 0]}}},
                  {"extra_pnginfo": {"workflow": {"nodes": [{"id": 9, "widgets_values": ["x", [1, [2]]]}]}},
                   "client_id": "c"}, ["9", "12"]],
                "outputs": {"9": {"images": [{"filename": "ComfyUI_00001_.png", "subfolder": "", "type": "output"},
                                             {"filename": "ComfyUI_00002_.png", "subfolder": "", "type": "output"}]},
                            "12": {"images": [{"filename": "ComfyUI_temp_abcde_00001_.png", "subfolder": "", "type": "temp"}]},
                            "14": {"images": [{"filename": "old_00001_.png", "subfolder": "", "type": "output"}],
                                   "animated": [false]},
                            "15": {"gifs": [{"filename": "v.mp4", "type": "output", "format": "video/h264-mp4"}],
                                   "text": ["a caption"]}},
                "status": {"status_str": "success", "completed": true,
                           "messages": [["execution_start", {"prompt_id": "a1", "timestamp": 1764590000123}],
                                        ["execution_cached", {"nodes": ["14", "3"], "prompt_id": "a1", "timestamp": 1764590000124}],
                                        ["execution_success", {"prompt_id": "a1", "timestamp": 1764590004000}]]},
                "meta": {"9": {"node_id": "9", "display_node": "9", "parent_node": null, "real_node_id": "9"}}}}
        """;

    List<FinishedPrompt> prompts = read(answer);

    assertThat(prompts).hasSize(1);
    FinishedPrompt prompt = prompts.get(0);
    assertThat(prompt.id()).isEqualTo("a1");
    assertThat(prompt.number()).isEqualTo("7");
    assertThat(prompt.startedAt()).isEqualTo("1764590000123");
    assertThat(prompt.status()).isEqualTo("success");
    // Node 14 was served from the cache: its image was saved by an earlier prompt.
    assertThat(prompt.saved()).containsOnlyKeys("9", "12");
    assertThat(prompt.savedImages()).isEqualTo(2);
    // Output node 12 showed its previews; both output nodes to execute showed something.
    assertThat(prompt.silentOutputs()).isEmpty();
  }

  @Test
  void readsOlderShapesWithoutStatusOrTimestampsAndKeepsTheOrder() throws IOException {
    String answer =
        """
        {"old": {"prompt": [3.0, "old", {}, {}, ["2"]], "outputs": {"2": {"images": [{"type": "output"}]}}},
         "mid": {"prompt": [4, "mid", {}, {}, ["2"]], "outputs": {}, "status": null},
         "new": {"outputs": {"2": {"images": [{"type": "output"}, {"type": "output"}]}},
                 "status": {"status_str": "error", "completed": false,
                            "messages": [["execution_start", {"prompt_id": "new"}],
                                         ["execution_error", {"node_id": "4", "exception_message": "OOM"}]]},
                 "prompt": [-5, "new", {}, {}, ["2"]]}}
        """;

    List<FinishedPrompt> prompts = read(answer);

    assertThat(prompts).extracting(FinishedPrompt::id).containsExactly("old", "mid", "new");
    assertThat(prompts).extracting(FinishedPrompt::savedImages).containsExactly(1L, 0L, 2L);
    assertThat(prompts.get(0).number()).isEqualTo("3.0");
    assertThat(prompts.get(2).number()).isEqualTo("-5");
    assertThat(prompts.get(2).status()).isEqualTo("error");
    // "mid" ran output node 2 and it listed nothing.
    assertThat(prompts.get(1).silentOutputs()).containsExactly("2");
    assertThat(prompts.get(0).silentOutputs()).isEmpty();
  }

  @Test
  void aPromptIdUsedAgainIsAnotherRunAndTheSameEntryReadTwiceIsTheSameRun() throws IOException {
    String first =
        "{\"job-1\": {\"prompt\": [0, \"job-1\", {}, {}, []], \"outputs\": {}, \"status\":"
            + " {\"messages\": [[\"execution_start\", {\"timestamp\": 100}]]}}}";
    String again =
        "{\"job-1\": {\"prompt\": [0, \"job-1\", {}, {}, []], \"outputs\": {}, \"status\":"
            + " {\"messages\": [[\"execution_start\", {\"timestamp\": 900}]]}}}";

    assertThat(read(first).get(0).key()).isEqualTo(read(first).get(0).key());
    assertThat(read(again).get(0).key()).isNotEqualTo(read(first).get(0).key());
  }

  @Test
  void anAnswerThatIsNotComfyUisHistoryIsRefused() {
    assertThatThrownBy(() -> read("[]"))
        .hasMessageContaining("expected the history to be an object");
    assertThatThrownBy(() -> read("{\"x\": {\"outputs\": {}}}"))
        .hasMessageContaining("has no \"prompt\"");
    assertThatThrownBy(() -> read("{\"x\": {\"prompt\": [\"x\"]}}"))
        .hasMessageContaining("does not start with its number");
    assertThatThrownBy(() -> read("{\"x\": {\"prompt\": [1, \"x\"]"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read("{} {}")).hasMessageContaining("text after the history");
  }

  @Test
  void anEmptyHistoryHasNoPrompts() throws IOException {
    assertThat(read("{}")).isEmpty();
  }

  private static List<FinishedPrompt> read(String answer) throws IOException {
    return ComfyUiHistory.read(new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)));
  }
}
