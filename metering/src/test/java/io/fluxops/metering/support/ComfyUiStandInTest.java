package io.fluxops.metering.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.metering.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ComfyUI stand-in answers as ComfyUI's server.py and execution.py do. */
class ComfyUiStandInTest {
  private static final Duration AT_MOST = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newHttpClient();
  private ComfyUiStandIn comfyui;

  @BeforeEach
  void start() throws Exception {
    comfyui = ComfyUiStandIn.start();
  }

  @AfterEach
  void stop() {
    comfyui.close();
  }

  @Test
  void queuesPromptsListsThemAndMovesThemToHistoryWhenDone() throws Exception {
    comfyui.pause();
    ComfyUiStandIn.Answer first =
        comfyui.post("/prompt", Map.of("prompt", ComfyWorkflows.save(2, 1)));
    ComfyUiStandIn.Answer front =
        comfyui.post("/prompt", Map.of("prompt", ComfyWorkflows.save(1, 2), "front", true));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).containsEntry("number", 0).containsEntry("node_errors", Map.of());
    assertThat((String) first.body().get("prompt_id")).matches("[0-9a-f-]{36}");
    assertThat(front.body()).containsEntry("number", -1);
    String id = (String) first.body().get("prompt_id");
    assertThat(get("/prompt")).isEqualTo(Map.of("exec_info", Map.of("queue_remaining", 2)));
    // Running or pending: not in the history yet.
    assertThat(get("/history/" + id)).isEqualTo(Map.of());
    List<Object> pending = list(get("/queue").get("queue_pending"));
    assertThat(pending).hasSize(2);
    // [number, prompt_id, prompt, extra_data, outputs_to_execute], the front one first.
    assertThat(list(pending.get(0)).get(0)).isEqualTo(-1);
    assertThat(list(pending.get(1)).subList(0, 2)).containsExactly(0, id);

    comfyui.resume();
    await().atMost(AT_MOST).until(() -> comfyui.finishedPrompts() == 2);

    Map<String, Object> entry = map(get("/history/" + id).get(id));
    assertThat(entry.keySet()).containsExactly("prompt", "outputs", "status", "meta");
    Map<String, Object> status = map(entry.get("status"));
    assertThat(status.get("status_str")).isEqualTo("success");
    assertThat(status.get("completed")).isEqualTo(true);
    assertThat(list(status.get("messages")).stream().map(m -> list(m).get(0)))
        .containsExactly("execution_start", "execution_cached", "execution_success");
    assertThat(entry.get("outputs"))
        .isEqualTo(
            Map.of(
                "2",
                Map.of(
                    "images",
                    List.of(
                        Map.of("filename", "flux_00002_.png", "subfolder", "", "type", "output"),
                        Map.of(
                            "filename", "flux_00003_.png", "subfolder", "", "type", "output")))));
    // Oldest first; max_items counts from the newest, offset from the oldest.
    assertThat(get("/history").keySet()).hasSize(2).last().isEqualTo(id);
    assertThat(get("/history?max_items=1").keySet()).containsExactly(id);
    assertThat(get("/history?max_items=1&offset=0").keySet()).doesNotContain(id);
    assertThat(get("/api/history?max_items=1")).isEqualTo(get("/history?max_items=1"));

    comfyui.post("/history", Map.of("delete", List.of(id)));
    assertThat(get("/history").keySet()).hasSize(1).doesNotContain(id);
    comfyui.post("/history", Map.of("clear", true));
    assertThat(get("/history")).isEmpty();
  }

  @Test
  void refusesBadPromptsAsComfyUiDoes() throws Exception {
    ComfyUiStandIn.Answer none = comfyui.post("/prompt", Map.of("client_id", "x"));
    assertThat(none.status()).isEqualTo(400);
    assertThat(map(none.body().get("error"))).containsEntry("type", "no_prompt");

    ComfyUiStandIn.Answer unknown =
        comfyui.post(
            "/prompt",
            Map.of("prompt", Map.of("1", Map.of("class_type", "Nope", "inputs", Map.of()))));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(map(unknown.body().get("error"))).containsEntry("type", "invalid_prompt");

    ComfyUiStandIn.Answer noOutputs =
        comfyui.post(
            "/prompt",
            Map.of(
                "prompt",
                Map.of(
                    "1", Map.of("class_type", "EmptyImage", "inputs", Map.of("batch_size", 1)))));
    assertThat(map(noOutputs.body().get("error"))).containsEntry("type", "prompt_no_outputs");
  }

  @Test
  void refusesALoopbackRequestFromAnotherOrigin() throws Exception {
    URI history = comfyui.url().resolve("/history");
    HttpResponse<String> foreign =
        http.send(
            HttpRequest.newBuilder(history).header("Origin", "http://evil.example").build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> same =
        http.send(
            HttpRequest.newBuilder(history).header("Origin", comfyui.url().toString()).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(same.statusCode()).isEqualTo(200);
  }

  @Test
  void aRestartEmptiesQueueAndHistoryAndNumbersFromZero() throws Exception {
    comfyui.queue(ComfyWorkflows.save(1, 1));
    await().atMost(AT_MOST).until(() -> comfyui.historySize() == 1);
    comfyui.restart();

    assertThat(get("/history")).isEmpty();
    assertThat(comfyui.post("/prompt", Map.of("prompt", ComfyWorkflows.save(1, 2))).body())
        .containsEntry("number", 0);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private Map<String, Object> get(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(comfyui.url().resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) Json.parse(response.body());
    return body;
  }
}
