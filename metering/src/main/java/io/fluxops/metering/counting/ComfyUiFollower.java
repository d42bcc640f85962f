package io.fluxops.metering.counting;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fluxops.metering.client.OutboundHttp;
import io.fluxops.metering.config.Config;
import io.fluxops.metering.counting.ComfyUiHistory.FinishedPrompt;
import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.journal.JournalException;
import io.fluxops.metering.journal.PromptKey;
import io.fluxops.metering.journal.PromptLedger;
import io.fluxops.metering.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * ComfyUI counting: reads ComfyUI's history on localhost every interval and journals each finished
 * prompt it has not counted yet, with the images the prompt saved, in one record per prompt.
 *
 * <p>Why the history, polled: it is the one place ComfyUI lists every finished prompt with its
 * outputs, whoever queued it. Its websocket sends a prompt's {@code executed} events only to the
 * socket of the client that queued it ({@code send_sync(..., self.server.client_id)} in
 * execution.py), so a listener of its own would see no one's images; its queue ({@code GET /queue})
 * lists prompts before they finish, not what they saved.
 *
 * <p>Each poll reads the newest prompts, {@code GET /history?max_items=n} (server.py; ComfyUI
 * answers the last n it finished, oldest first), starting with one and widening the window four
 * times at a time until its oldest prompt is one already counted or the window holds the whole
 * history. History is appended in the order prompts finish, and only its oldest are dropped, so a
 * prompt older than one already counted was seen at that earlier poll: what lies between is all
 * that can be new. An idle ComfyUI costs one small request a poll. After a ComfyUI restart (an
 * empty history) nothing is remembered there, and the whole new history is read once.
 */
public final class ComfyUiFollower {
  private static final System.Logger LOG = System.getLogger(ComfyUiFollower.class.getName());

  private static final int FIRST_WINDOW = 1;
  private static final int WIDENING = 4;

  /** Never look further back than the journal remembers (more than ComfyUI keeps). */
  private static final int MAX_WINDOW = PromptLedger.CAPACITY;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** Ten thousand prompts with their workflows can take ComfyUI a while to write out. */
  private static final Duration HISTORY_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_QUEUE_ANSWER_BYTES = 64 * 1024;
  private static final Duration LOG_EVERY = Duration.ofMinutes(1);

  /** Why a poll failed; the bounded {@code reason} label of the poll failure metric. */
  public enum PollFailure {
    /** ComfyUI did not answer: not started yet, restarting, or another port. */
    UNREACHABLE,
    /** It answered, but not as ComfyUI does: an error status, or not its history's shape. */
    INVALID,
    /** The journal refused the counts (full or failed); the prompts stay in ComfyUI's history. */
    JOURNAL;

    /** Lower-case name, as used in labels and {@code /status}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The last failed poll, for {@code /status}.
   *
   * @param at when
   * @param reason the failure's class
   * @param message what happened
   */
  public record PollError(Instant at, PollFailure reason, String message) {}

  private final Config.ComfyUi source;
  private final Journal journal;
  private final Clock clock;
  private final Consumer<PollFailure> failures;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "comfyui-follower"));
  private volatile PollError lastError;
  private volatile Instant lastPoll;
  private volatile int queueRemaining;
  private volatile long promptsCounted;
  private volatile long silentPrompts;
  private Instant lastSilentLogged = Instant.EPOCH;
  private boolean failing;
  private Instant lastLogged = Instant.EPOCH;

  public ComfyUiFollower(
      Config.ComfyUi source, Journal journal, Clock clock, Consumer<PollFailure> failures) {
    this.source = source;
    this.journal = journal;
    this.clock = clock;
    this.failures = failures;
  }

  public void start() {
    scheduler.scheduleWithFixedDelay(
        this::poll, 0, source.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Stops following after one last poll, which catches prompts finished since the previous one if
   * ComfyUI still answers. A poll still running after {@code grace} (a ComfyUI that hangs) is left
   * to its timeout, without a last one: the time is the reporter's.
   */
  public void stop(Duration grace) throws InterruptedException {
    scheduler.shutdown();
    if (scheduler.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      poll();
    }
  }

  /** The ComfyUI followed. */
  public URI upstream() {
    return source.upstream();
  }

  /** The last failed poll, if any. */
  public Optional<PollError> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** When ComfyUI's history was last read whole to what is already counted. */
  public Optional<Instant> lastPoll() {
    return Optional.ofNullable(lastPoll);
  }

  /**
   * ComfyUI's prompts running and pending ({@code exec_info.queue_remaining} of {@code GET
   * /prompt}, that is {@code PromptQueue.get_tasks_remaining}) at the last poll that reached it.
   */
  public int queueRemaining() {
    return queueRemaining;
  }

  /**
   * Prompts counted since the sidecar started that ran an output node listing no file (such as
   * {@code SaveImageWebsocket}, which hands its images to the client only): images this meter
   * cannot see.
   */
  public long silentPrompts() {
    return silentPrompts;
  }

  /** Prompts counted since the sidecar started. */
  public long promptsCounted() {
    return promptsCounted;
  }

  /** One poll; public so that tests and shutdown can trigger it. */
  public synchronized void poll() {
    try {
      queueRemaining = readQueueRemaining();
      Map<PromptKey, Long> fresh = new LinkedHashMap<>();
      List<FinishedPrompt> silent = new ArrayList<>();
      for (FinishedPrompt prompt : finishedSinceLastPoll()) {
        if (!journal.prompts().contains(prompt.key())) {
          fresh.put(prompt.key(), prompt.savedImages());
          if (prompt.status().equals("success") && !prompt.silentOutputs().isEmpty()) {
            silent.add(prompt);
          }
        }
      }
      if (!fresh.isEmpty()) {
        journal.countPrompts(fresh);
        promptsCounted += fresh.size();
        silentPrompts += silent.size();
        warnOfSilentOutputs(silent);
      }
      lastPoll = clock.instant();
      recovered();
    } catch (ComfyUiHistory.MalformedHistory | InvalidAnswer e) {
      fail(PollFailure.INVALID, e.getMessage());
    } catch (JsonProcessingException e) {
      fail(PollFailure.INVALID, "GET /history: " + Json.problem(e) + hint());
    } catch (IOException e) {
      fail(PollFailure.UNREACHABLE, "cannot reach ComfyUI at " + source.upstream() + ": " + e);
    } catch (JournalException e) {
      fail(PollFailure.JOURNAL, "journal: " + e.getMessage());
    }
  }

  /** The newest finished prompts, reaching back to one already counted or to the oldest kept. */
  private List<FinishedPrompt> finishedSinceLastPoll() throws IOException {
    int window = FIRST_WINDOW;
    while (true) {
      List<FinishedPrompt> prompts = readHistory(window);
      if (prompts.size() < window
          || window >= MAX_WINDOW
          || journal.prompts().contains(prompts.get(0).key())) {
        return prompts;
      }
      window = Math.min(window * WIDENING, MAX_WINDOW);
    }
  }

  private List<FinishedPrompt> readHistory(int maxItems) throws IOException {
    HttpURLConnection connection = get("/history?max_items=" + maxItems, HISTORY_TIMEOUT);
    try {
      checkOk(connection, "/history");
      try (InputStream body = connection.getInputStream()) {
        return ComfyUiHistory.read(body);
      }
    } finally {
      connection.disconnect();
    }
  }

  private int readQueueRemaining() throws IOException {
    HttpURLConnection connection = get("/prompt", QUEUE_TIMEOUT);
    checkOk(connection, "/prompt");
    String body = OutboundHttp.body(connection, MAX_QUEUE_ANSWER_BYTES);
    try {
      if (Json.parse(body) instanceof Map<?, ?> answer
          && answer.get("exec_info") instanceof Map<?, ?> info
          && info.get("queue_remaining") instanceof Number remaining
          && remaining.longValue() >= 0) {
        return (int) Math.min(Integer.MAX_VALUE, remaining.longValue());
      }
    } catch (JsonProcessingException e) {
      throw new InvalidAnswer("GET /prompt: " + Json.problem(e) + hint());
    }
    throw new InvalidAnswer(
        "GET /prompt answered without exec_info.queue_remaining, as ComfyUI does" + hint());
  }

  private HttpURLConnection get(String pathAndQuery, Duration timeout) throws IOException {
    HttpURLConnection connection =
        OutboundHttp.open(URI.create(source.upstream() + pathAndQuery), "GET", timeout);
    connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
    connection.setRequestProperty("Accept", "application/json");
    return connection;
  }

  private void checkOk(HttpURLConnection connection, String path) throws IOException {
    int status = connection.getResponseCode();
    if (status != 200) {
      String body = OutboundHttp.body(connection, 200);
      throw new InvalidAnswer(
          "GET "
              + path
              + " answered HTTP "
              + status
              + (body.isBlank() ? "" : ": " + body)
              + hint());
    }
  }

  private String hint() {
    return " (is " + source.upstream() + " ComfyUI? FLUXOPS_UPSTREAM_URL names it)";
  }

  private void warnOfSilentOutputs(List<FinishedPrompt> silent) {
    Instant now = clock.instant();
    if (silent.isEmpty() || Duration.between(lastSilentLogged, now).compareTo(LOG_EVERY) < 0) {
      return;
    }
    lastSilentLogged = now;
    FinishedPrompt example = silent.get(0);
    LOG.log(
        Level.WARNING,
        "ComfyUI prompt "
            + example.id()
            + " ran output node(s) "
            + example.silentOutputs()
            + " that list no saved file (SaveImageWebsocket and other nodes that hand images to the"
            + " client directly): any images they made are not counted; save with SaveImage to"
            + " meter them ("
            + silentPrompts
            + " such prompts since start, fluxops_metering_comfyui_prompts_silent_outputs_total)");
  }

  private void fail(PollFailure reason, String message) {
    lastError = new PollError(clock.instant(), reason, message);
    failures.accept(reason);
    Instant now = clock.instant();
    // ComfyUI takes a while to start and restarts with its pod's server: say so once a minute,
    // not every second.
    if (!failing || Duration.between(lastLogged, now).compareTo(LOG_EVERY) >= 0) {
      LOG.log(
          Level.WARNING, message + "; retrying every " + source.pollInterval().toMillis() + " ms");
      lastLogged = now;
    }
    failing = true;
  }

  private void recovered() {
    if (failing) {
      LOG.log(Level.INFO, "ComfyUI at " + source.upstream() + " answers again");
      failing = false;
    }
  }

  /** An answer that is not what ComfyUI answers. */
  private static final class InvalidAnswer extends IOException {
    InvalidAnswer(String message) {
      super(message);
    }
  }
}
