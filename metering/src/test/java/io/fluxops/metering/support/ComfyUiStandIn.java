package io.fluxops.metering.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fluxops.metering.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for ComfyUI's HTTP API on loopback, answering as ComfyUI's own source does (server.py:
 * {@code post_prompt}, {@code get_history}, {@code get_queue}, {@code get_prompt}, {@code
 * post_history}, the {@code /api} twin of every route and the Host/Origin check of {@code
 * create_origin_only_middleware}; execution.py: {@code PromptQueue} and {@code PromptExecutor};
 * main.py: {@code prompt_worker}), with a worker that runs the queue in order of {@code number}.
 *
 * <p>It runs a small node set with ComfyUI's semantics: {@code EmptyImage} and {@code
 * EmptyLatentImage} (with {@code batch_size}), {@code VAEDecode}, {@code SaveImage} (one {@code
 * type: output} image per batch entry, {@code <prefix>_<counter>_.png}), {@code PreviewImage}
 * ({@code type: temp}), {@code SaveImageWebsocket} (images sent to the client's socket, nothing
 * listed, nothing saved). Node outputs are cached as ComfyUI's classic cache does: a node whose
 * class and inputs (its upstream nodes' included) match the previous prompt's is not executed
 * again, is listed in {@code execution_cached}, and its earlier UI output shows in the new history
 * entry. A node class can be made to raise (as a node that runs out of GPU memory does): the prompt
 * ends with {@code status_str: error} and an {@code execution_error} message, keeping the outputs
 * of the nodes that ran before. History is capped at {@code MAXIMUM_HISTORY_SIZE}, oldest dropped;
 * {@link #restart()} empties it, as a process restart does. It counts the images it saved: the
 * truth a test compares the meter with.
 */
public final class ComfyUiStandIn implements AutoCloseable {
  /** ComfyUI's {@code MAXIMUM_HISTORY_SIZE} (execution.py). */
  public static final int MAXIMUM_HISTORY_SIZE = 10_000;

  private static final Set<String> OUTPUT_NODES =
      Set.of("SaveImage", "PreviewImage", "SaveImageWebsocket");
  private static final Set<String> NODES =
      Set.of(
          "EmptyImage",
          "EmptyLatentImage",
          "VAEDecode",
          "SaveImage",
          "PreviewImage",
          "SaveImageWebsocket");

  private record Item(
      Number number,
      String id,
      Map<String, Object> graph,
      Map<String, Object> extra,
      List<String> outputs,
      long order) {
    List<Object> tuple() {
      return List.of(number, id, graph, extra, outputs);
    }
  }

  /** What a node left: the batch it passes on, and what it shows in the UI (null: nothing). */
  private record NodeResult(int batch, Map<String, Object> ui) {}

  private final Object lock = new Object();
  private final PriorityQueue<Item> queue =
      new PriorityQueue<>(
          (a, b) -> {
            int byNumber = Double.compare(a.number().doubleValue(), b.number().doubleValue());
            return byNumber != 0 ? byNumber : Long.compare(a.order(), b.order());
          });
  private final LinkedHashMap<String, Map<String, Object>> history = new LinkedHashMap<>();
  private final Map<String, Integer> fileCounters = new HashMap<>();
  private final Set<String> failingClasses = new HashSet<>();
  private final AtomicLong savedImages = new AtomicLong();
  private final AtomicLong finishedPrompts = new AtomicLong();
  private final ExecutorService handlers = Executors.newFixedThreadPool(8);
  private final Thread worker;
  private Map<String, NodeResult> cache = new HashMap<>();
  private Item running;
  private long number;
  private long order;
  private long generation;
  private int maxHistory = MAXIMUM_HISTORY_SIZE;
  private Duration workPerPrompt = Duration.ofMillis(5);
  private boolean paused;
  private boolean closed;
  private HttpServer server;
  private final InetAddress address;
  private final int port;

  private ComfyUiStandIn(InetSocketAddress at) throws IOException {
    address = at.getAddress();
    server = listen(at.getPort());
    port = server.getAddress().getPort();
    worker = new Thread(this::work, "comfyui-stand-in-worker");
    worker.setDaemon(true);
    worker.start();
  }

  /** A stand-in listening on a free loopback port. */
  public static ComfyUiStandIn start() throws IOException {
    return new ComfyUiStandIn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /**
   * A stand-in listening at {@code at} (port 0: a free one), as a simulated pod's ComfyUI listens
   * at the pod's address (the sandbox's).
   */
  public static ComfyUiStandIn start(InetSocketAddress at) throws IOException {
    return new ComfyUiStandIn(at);
  }

  /** {@code http://<address>:<port>}, what the sidecar's {@code FLUXOPS_UPSTREAM_URL} names. */
  public URI url() {
    return URI.create("http://" + address.getHostAddress() + ":" + port);
  }

  /** Images saved ({@code type: output}) since the stand-in started, across restarts. */
  public long savedImages() {
    return savedImages.get();
  }

  /** Prompts finished (success or error) since the stand-in started, across restarts. */
  public long finishedPrompts() {
    return finishedPrompts.get();
  }

  /** Prompts in the history now. */
  public int historySize() {
    synchronized (lock) {
      return history.size();
    }
  }

  /** Prompts running and pending now. */
  public int queueRemaining() {
    synchronized (lock) {
      return queue.size() + (running == null ? 0 : 1);
    }
  }

  /** Whether a prompt is running now. */
  public boolean runningAPrompt() {
    synchronized (lock) {
      return running != null;
    }
  }

  /** Nodes of {@code classType} raise when they run, from now on (as a node out of memory does). */
  public void failNodes(String classType) {
    synchronized (lock) {
      failingClasses.add(classType);
    }
  }

  /** How long each prompt takes to run. */
  public void workPerPrompt(Duration work) {
    synchronized (lock) {
      workPerPrompt = work;
    }
  }

  /** A history smaller than ComfyUI's 10,000, to show what eviction does in a short test. */
  public void maxHistory(int prompts) {
    synchronized (lock) {
      maxHistory = prompts;
    }
  }

  /** The worker takes no new prompt until {@link #resume()}. */
  public void pause() {
    synchronized (lock) {
      paused = true;
    }
  }

  public void resume() {
    synchronized (lock) {
      paused = false;
      lock.notifyAll();
    }
  }

  /**
   * Stops answering (connections refused) while prompts go on running; see {@link #listenAgain()}.
   */
  public void stopListening() {
    synchronized (lock) {
      server.stop(0);
    }
  }

  /** Answers again, on the same port. */
  public void listenAgain() throws IOException {
    synchronized (lock) {
      server = listen(port);
    }
  }

  /**
   * What a restart of the ComfyUI process does: the queue, the prompt running, the caches and the
   * history are gone (they live in its memory); numbering starts again at 0. The files it saved
   * stay, so file counters go on. It answers again on the same port.
   */
  public void restart() throws IOException {
    synchronized (lock) {
      server.stop(0);
      queue.clear();
      history.clear();
      cache = new HashMap<>();
      running = null;
      number = 0;
      generation++;
      server = listen(port);
    }
  }

  /**
   * POSTs {@code body} to {@code path} as a client does (no Origin header); returns the status and
   * ComfyUI's answer, parsed (null when it has no body).
   */
  @SuppressWarnings("unchecked")
  public Answer post(String path, Map<String, ?> body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) url().resolve(path).toURL().openConnection();
    connection.setConnectTimeout(5000);
    connection.setReadTimeout(10_000);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(Json.write(body).getBytes(StandardCharsets.UTF_8));
    }
    int status = connection.getResponseCode();
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    return new Answer(status, text.isEmpty() ? null : (Map<String, Object>) Json.parse(text));
  }

  /** Queues {@code graph} (API format) as a client does; returns its {@code prompt_id}. */
  public String queue(Map<String, ?> graph) throws IOException {
    Answer answer = post("/prompt", Map.of("prompt", graph));
    if (answer.status() != 200) {
      throw new IOException("POST /prompt answered " + answer.status() + ": " + answer.body());
    }
    return (String) answer.body().get("prompt_id");
  }

  /** An HTTP answer: status and parsed JSON body. */
  public record Answer(int status, Map<String, Object> body) {}

  private HttpServer listen(int onPort) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(address, onPort), 64);
    http.setExecutor(handlers);
    http.createContext("/", this::handle);
    http.start();
    return http;
  }

  // ---------------------------------------------------------------- HTTP, as server.py answers

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/api/")) {
        // add_routes: every route is served under /api as well.
        path = path.substring(4);
      }
      if (originRefused(exchange)) {
        send(exchange, 403, null);
        return;
      }
      String method = exchange.getRequestMethod();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      if (method.equals("GET") && path.equals("/prompt")) {
        send(exchange, 200, Map.of("exec_info", Map.of("queue_remaining", queueRemaining())));
      } else if (method.equals("POST") && path.equals("/prompt")) {
        postPrompt(exchange);
      } else if (method.equals("GET") && path.equals("/queue")) {
        send(exchange, 200, currentQueue());
      } else if (method.equals("GET") && path.equals("/history")) {
        getHistory(exchange, query);
      } else if (method.equals("GET") && path.startsWith("/history/")) {
        String id = URLDecoder.decode(path.substring("/history/".length()), StandardCharsets.UTF_8);
        synchronized (lock) {
          Map<String, Object> entry = history.get(id);
          send(exchange, 200, entry == null ? Map.of() : Map.of(id, entry));
        }
      } else if (method.equals("POST") && path.equals("/history")) {
        postHistory(exchange);
      } else {
        send(exchange, 404, null);
      }
    }
  }

  /**
   * create_origin_only_middleware: a request whose Host is a loopback address and whose Origin
   * names another host is refused (a web page must not queue prompts on a local ComfyUI).
   */
  private static boolean originRefused(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (host == null || origin == null) {
      return false;
    }
    String hostName = URI.create("//" + host).getHost();
    URI originUri = URI.create(origin);
    boolean loopback =
        hostName != null
            && (hostName.equals("localhost")
                || hostName.startsWith("127.")
                || hostName.equals("[::1]"));
    String hostCompared = originUri.getPort() == -1 ? hostName : host.toLowerCase();
    String originCompared =
        URI.create("//" + host).getPort() == -1
            ? originUri.getHost()
            : originUri.getRawAuthority().toLowerCase();
    return loopback
        && hostCompared != null
        && originCompared != null
        && !hostCompared.equals(originCompared);
  }

  @SuppressWarnings("unchecked")
  private void postPrompt(HttpExchange exchange) throws IOException {
    Object parsed =
        Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (!(parsed instanceof Map<?, ?> json)) {
      send(exchange, 400, Map.of("error", "invalid json", "node_errors", Map.of()));
      return;
    }
    if (!(json.get("prompt") instanceof Map<?, ?> prompt)) {
      send(
          exchange,
          400,
          Map.of(
              "error",
              error("no_prompt", "No prompt provided", "No prompt provided"),
              "node_errors",
              Map.of()));
      return;
    }
    Map<String, Object> graph = (Map<String, Object>) prompt;
    for (Map.Entry<String, Object> node : graph.entrySet()) {
      Object type = node.getValue() instanceof Map<?, ?> n ? n.get("class_type") : null;
      if (!NODES.contains(type)) {
        send(
            exchange,
            400,
            Map.of(
                "error",
                error(
                    "invalid_prompt",
                    "Cannot execute because node " + type + " does not exist.",
                    "Node ID '#" + node.getKey() + "'"),
                "node_errors",
                Map.of()));
        return;
      }
    }
    List<String> outputs = new ArrayList<>();
    for (Map.Entry<String, Object> node : graph.entrySet()) {
      if (OUTPUT_NODES.contains(((Map<?, ?>) node.getValue()).get("class_type"))) {
        outputs.add(node.getKey());
      }
    }
    if (outputs.isEmpty()) {
      send(
          exchange,
          400,
          Map.of(
              "error",
              error("prompt_no_outputs", "Prompt has no outputs", ""),
              "node_errors",
              List.of()));
      return;
    }
    Map<String, Object> extra =
        json.get("extra_data") instanceof Map<?, ?> e
            ? new LinkedHashMap<>((Map<String, Object>) e)
            : new LinkedHashMap<>();
    if (json.get("client_id") != null) {
      extra.put("client_id", json.get("client_id"));
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    synchronized (lock) {
      Number assigned;
      if (json.get("number") instanceof Number given) {
        assigned = given.doubleValue();
      } else {
        assigned = Boolean.TRUE.equals(json.get("front")) ? -number : number;
        number++;
      }
      String id =
          json.get("prompt_id") != null
              ? String.valueOf(json.get("prompt_id"))
              : UUID.randomUUID().toString();
      extra.put("create_time", System.currentTimeMillis());
      queue.add(new Item(assigned, id, graph, extra, outputs, order++));
      lock.notifyAll();
      answer.put("prompt_id", id);
      answer.put("number", assigned);
      answer.put("node_errors", Map.of());
    }
    send(exchange, 200, answer);
  }

  private static Map<String, Object> error(String type, String message, String details) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    error.put("message", message);
    error.put("details", details);
    error.put("extra_info", Map.of());
    return error;
  }

  private Map<String, Object> currentQueue() {
    synchronized (lock) {
      List<Object> pending = new ArrayList<>();
      List<Item> ordered = new ArrayList<>(queue);
      ordered.sort(queue.comparator());
      for (Item item : ordered) {
        pending.add(item.tuple());
      }
      return Map.of(
          "queue_running",
          running == null ? List.of() : List.of(running.tuple()),
          "queue_pending",
          pending);
    }
  }

  /** get_history: {@code max_items} from the newest back, {@code offset} from the oldest. */
  private void getHistory(HttpExchange exchange, Map<String, String> query) throws IOException {
    Integer maxItems;
    int offset;
    try {
      maxItems = query.containsKey("max_items") ? Integer.parseInt(query.get("max_items")) : null;
      offset = query.containsKey("offset") ? Integer.parseInt(query.get("offset")) : -1;
    } catch (NumberFormatException e) {
      // aiohttp turns the ValueError of int() into a 500.
      send(exchange, 500, null);
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    synchronized (lock) {
      if (offset < 0 && maxItems != null) {
        offset = history.size() - maxItems;
      }
      int i = 0;
      for (Map.Entry<String, Map<String, Object>> entry : history.entrySet()) {
        if (i >= offset) {
          out.put(entry.getKey(), entry.getValue());
          if (maxItems != null && out.size() >= maxItems) {
            break;
          }
        }
        i++;
      }
    }
    send(exchange, 200, out);
  }

  private void postHistory(HttpExchange exchange) throws IOException {
    Object parsed =
        Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (parsed instanceof Map<?, ?> json) {
      synchronized (lock) {
        if (Boolean.TRUE.equals(json.get("clear"))) {
          history.clear();
        }
        if (json.get("delete") instanceof List<?> ids) {
          for (Object id : ids) {
            history.remove(String.valueOf(id));
          }
        }
      }
    }
    send(exchange, 200, null);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return query;
  }

  private static void send(HttpExchange exchange, int status, Map<String, ?> body)
      throws IOException {
    byte[] bytes = body == null ? new byte[0] : Json.write(body).getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  // ---------------------------------------------------------------- the worker, as main.py runs it

  private void work() {
    while (true) {
      Item item;
      long runGeneration;
      Duration work;
      synchronized (lock) {
        while (!closed && (paused || queue.isEmpty())) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        item = queue.poll();
        running = item;
        runGeneration = generation;
        work = workPerPrompt;
      }
      try {
        Thread.sleep(work.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      synchronized (lock) {
        if (runGeneration != generation) {
          // The process restarted while this prompt ran: it never finished.
          continue;
        }
        execute(item);
        running = null;
      }
    }
  }

  /** PromptExecutor.execute, then PromptQueue.task_done. Called with the lock held. */
  private void execute(Item item) {
    List<Object> messages = new ArrayList<>();
    messages.add(message("execution_start", Map.of("prompt_id", item.id())));
    Map<String, String> signatures = new HashMap<>();
    for (String node : item.graph().keySet()) {
      signature(item.graph(), node, signatures);
    }
    List<String> cached = new ArrayList<>();
    for (String node : new TreeSet<>(item.graph().keySet())) {
      if (cache.containsKey(signatures.get(node))) {
        cached.add(node);
      }
    }
    messages.add(message("execution_cached", Map.of("nodes", cached, "prompt_id", item.id())));
    Map<String, NodeResult> results = new HashMap<>();
    Map<String, NodeResult> nextCache = new HashMap<>();
    List<String> executed = new ArrayList<>();
    String failedNode = null;
    try {
      for (String output : new TreeSet<>(item.outputs())) {
        run(item, output, signatures, results, nextCache, executed);
      }
    } catch (NodeFailure failure) {
      failedNode = failure.node;
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    Map<String, Object> meta = new LinkedHashMap<>();
    for (String node : new TreeSet<>(results.keySet())) {
      if (results.get(node).ui() != null) {
        outputs.put(node, results.get(node).ui());
        Map<String, Object> nodeMeta = new LinkedHashMap<>();
        nodeMeta.put("node_id", node);
        nodeMeta.put("display_node", node);
        nodeMeta.put("parent_node", null);
        nodeMeta.put("real_node_id", node);
        meta.put(node, nodeMeta);
      }
    }
    boolean success = failedNode == null;
    if (success) {
      messages.add(message("execution_success", Map.of("prompt_id", item.id())));
    } else {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("prompt_id", item.id());
      error.put("node_id", failedNode);
      error.put("node_type", classOf(item.graph(), failedNode));
      error.put("executed", executed);
      error.put("exception_message", "Allocation on device");
      error.put("exception_type", "torch.OutOfMemoryError");
      error.put("traceback", List.of("  File \"execution.py\", line 1, in execute\n"));
      error.put("current_inputs", Map.of());
      error.put("current_outputs", cached);
      messages.add(message("execution_error", error));
    }
    cache = nextCache;
    if (history.size() > maxHistory) {
      history.remove(history.keySet().iterator().next());
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("status_str", success ? "success" : "error");
    status.put("completed", success);
    status.put("messages", messages);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("prompt", item.tuple());
    entry.put("outputs", outputs);
    entry.put("status", status);
    entry.put("meta", meta);
    // A dict assignment: a prompt_id already there keeps its place, as in Python.
    history.put(item.id(), entry);
    finishedPrompts.incrementAndGet();
  }

  private static final class NodeFailure extends Exception {
    final String node;

    NodeFailure(String node) {
      super(node, null, false, false);
      this.node = node;
    }
  }

  private NodeResult run(
      Item item,
      String node,
      Map<String, String> signatures,
      Map<String, NodeResult> results,
      Map<String, NodeResult> nextCache,
      List<String> executed)
      throws NodeFailure {
    if (results.containsKey(node)) {
      return results.get(node);
    }
    String signature = signatures.get(node);
    NodeResult result = cache.get(signature);
    if (result == null) {
      Map<?, ?> inputs = inputs(item.graph(), node);
      int batch = 1;
      for (Object value : inputs.values()) {
        if (value instanceof List<?> link && link.size() == 2) {
          batch =
              run(item, String.valueOf(link.get(0)), signatures, results, nextCache, executed)
                  .batch();
        }
      }
      String type = classOf(item.graph(), node);
      if (failingClasses.contains(type)) {
        throw new NodeFailure(node);
      }
      result =
          switch (type) {
            case "EmptyImage", "EmptyLatentImage" ->
                new NodeResult(intInput(inputs, "batch_size", 1), null);
            case "VAEDecode" -> new NodeResult(batch, null);
            case "SaveImage" -> new NodeResult(batch, save(inputs, batch));
            case "PreviewImage" -> new NodeResult(batch, preview(batch));
            // websocket_image_save.py: the images go to the client's socket; no UI output, no file.
            case "SaveImageWebsocket" -> new NodeResult(batch, null);
            default -> throw new IllegalStateException(type);
          };
      executed.add(node);
    }
    results.put(node, result);
    nextCache.put(signature, result);
    return result;
  }

  /** SaveImage.save_images: one output file per image of the batch. */
  private Map<String, Object> save(Map<?, ?> inputs, int batch) {
    String prefix =
        inputs.get("filename_prefix") instanceof String p && !p.isEmpty() ? p : "ComfyUI";
    List<Object> images = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      int counter = fileCounters.merge(prefix, 1, Integer::sum);
      images.add(
          Map.of(
              "filename", String.format("%s_%05d_.png", prefix, counter),
              "subfolder", "",
              "type", "output"));
      savedImages.incrementAndGet();
    }
    return Map.of("images", images);
  }

  /** PreviewImage: temp files, which ComfyUI deletes at start and exit. */
  private Map<String, Object> preview(int batch) {
    List<Object> images = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      int counter = fileCounters.merge("ComfyUI_temp", 1, Integer::sum);
      images.add(
          Map.of(
              "filename", String.format("ComfyUI_temp_stand_%05d_.png", counter),
              "subfolder", "",
              "type", "temp"));
    }
    return Map.of("images", images);
  }

  private static String signature(
      Map<String, Object> graph, String node, Map<String, String> done) {
    String known = done.get(node);
    if (known != null) {
      return known;
    }
    StringBuilder signature = new StringBuilder(classOf(graph, node)).append('{');
    Map<?, ?> inputs = inputs(graph, node);
    for (Object name : new TreeSet<>(inputs.keySet().stream().map(String::valueOf).toList())) {
      Object value = inputs.get(name);
      signature.append(name).append('=');
      if (value instanceof List<?> link
          && link.size() == 2
          && graph.containsKey(String.valueOf(link.get(0)))) {
        signature
            .append('(')
            .append(signature(graph, String.valueOf(link.get(0)), done))
            .append(')');
      } else {
        signature.append(value);
      }
      signature.append(';');
    }
    String result = signature.append('}').toString();
    done.put(node, result);
    return result;
  }

  private static Map<?, ?> inputs(Map<String, Object> graph, String node) {
    Object inputs = ((Map<?, ?>) graph.get(node)).get("inputs");
    return inputs instanceof Map<?, ?> map ? map : Map.of();
  }

  private static String classOf(Map<String, Object> graph, String node) {
    return String.valueOf(((Map<?, ?>) graph.get(node)).get("class_type"));
  }

  private static int intInput(Map<?, ?> inputs, String name, int otherwise) {
    return inputs.get(name) instanceof Number n ? n.intValue() : otherwise;
  }

  /** A status message as add_message keeps it: {@code [event, {data..., "timestamp": ms}]}. */
  private static List<Object> message(String event, Map<String, Object> data) {
    Map<String, Object> stamped = new LinkedHashMap<>(data);
    stamped.put("timestamp", System.currentTimeMillis());
    return List.of(event, stamped);
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
      server.stop(0);
    }
    worker.interrupt();
    handlers.shutdownNow();
  }
}
