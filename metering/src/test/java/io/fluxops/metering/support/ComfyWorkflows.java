package io.fluxops.metering.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Workflows in ComfyUI's API format ({@code {"<node id>": {"class_type", "inputs"}}}, links as
 * {@code [node id, output index]}) for {@link ComfyUiStandIn}. {@code seed} goes into the image's
 * colour, so that two workflows with different seeds are not served from ComfyUI's cache.
 */
public final class ComfyWorkflows {
  private ComfyWorkflows() {}

  /** An image batch of {@code batch}, saved. */
  public static Map<String, Object> save(int batch, long seed) {
    Map<String, Object> graph = new LinkedHashMap<>();
    graph.put("1", emptyImage(batch, seed));
    graph.put("2", node("SaveImage", Map.of("images", List.of("1", 0), "filename_prefix", "flux")));
    return graph;
  }

  /** As {@link #save}, with a preview of the same batch beside the save. */
  public static Map<String, Object> saveAndPreview(int batch, long seed) {
    Map<String, Object> graph = save(batch, seed);
    graph.put("3", node("PreviewImage", Map.of("images", List.of("1", 0))));
    return graph;
  }

  /** Previews only: nothing is saved. */
  public static Map<String, Object> previewOnly(int batch, long seed) {
    Map<String, Object> graph = new LinkedHashMap<>();
    graph.put("1", emptyImage(batch, seed));
    graph.put("2", node("PreviewImage", Map.of("images", List.of("1", 0))));
    return graph;
  }

  /** A batch sent to the client's websocket ({@code SaveImageWebsocket}): nothing saved. */
  public static Map<String, Object> toWebsocket(int batch, long seed) {
    Map<String, Object> graph = new LinkedHashMap<>();
    graph.put("1", emptyImage(batch, seed));
    graph.put("2", node("SaveImageWebsocket", Map.of("images", List.of("1", 0))));
    return graph;
  }

  /** Two save nodes, of batches {@code first} and {@code second}. */
  public static Map<String, Object> twoSaves(int first, int second, long seed) {
    Map<String, Object> graph = save(first, seed);
    graph.put("3", emptyImage(second, seed + 1));
    graph.put(
        "4", node("SaveImage", Map.of("images", List.of("3", 0), "filename_prefix", "upscaled")));
    return graph;
  }

  /**
   * A save of {@code batch} (node 2), then a decode (node 4) feeding a second save (node 5): with
   * {@code VAEDecode} made to fail, the first save runs and the prompt ends in an error.
   */
  public static Map<String, Object> saveThenDecode(int batch, long seed) {
    Map<String, Object> graph = save(batch, seed);
    graph.put("3", node("EmptyLatentImage", Map.of("width", 64, "height", 64, "batch_size", 1)));
    graph.put("4", node("VAEDecode", Map.of("samples", List.of("3", 0))));
    graph.put("5", node("SaveImage", Map.of("images", List.of("4", 0), "filename_prefix", "flux")));
    return graph;
  }

  /** A decode feeding the only save: with {@code VAEDecode} made to fail, nothing is saved. */
  public static Map<String, Object> decodeThenSave(long seed) {
    Map<String, Object> graph = new LinkedHashMap<>();
    graph.put(
        "3",
        node("EmptyLatentImage", Map.of("width", 64, "height", 64, "batch_size", 1 + seed % 2)));
    graph.put("4", node("VAEDecode", Map.of("samples", List.of("3", 0))));
    graph.put("5", node("SaveImage", Map.of("images", List.of("4", 0), "filename_prefix", "flux")));
    return graph;
  }

  private static Map<String, Object> emptyImage(int batch, long seed) {
    return node(
        "EmptyImage", Map.of("width", 64, "height", 64, "batch_size", batch, "color", seed));
  }

  private static Map<String, Object> node(String classType, Map<String, Object> inputs) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("inputs", inputs);
    node.put("class_type", classType);
    node.put("_meta", Map.of("title", classType));
    return node;
  }
}
