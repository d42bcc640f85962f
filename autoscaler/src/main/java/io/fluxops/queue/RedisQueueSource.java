package io.fluxops.queue;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The {@code redis} source: the backlog of a job queue kept in Redis, read with Jedis.
 *
 * <ul>
 *   <li>{@code list}: {@code LLEN key}. Workers pop jobs as they start them, so add running jobs
 *       through the target if they matter; a missing key is an empty queue.
 *   <li>{@code stream} without a group: {@code XLEN key}, every entry in the stream, for streams
 *       trimmed as jobs finish.
 *   <li>{@code stream} with a group: the group's pending entries (delivered to a worker, not yet
 *       acknowledged: running) plus its lag (not yet delivered: queued), from {@code XINFO GROUPS}.
 *       Where Redis cannot tell the lag (before 7.0, or after entries were deleted), the reading is
 *       the pending count alone, reported as partial so the scaler only grows on it.
 * </ul>
 */
public final class RedisQueueSource implements QueueSource {

  /** Default timeout for connecting and for one command. */
  public static final int DEFAULT_TIMEOUT_MILLIS = 2000;

  /** How the queue is kept. */
  public enum Type {
    /** A Redis list. */
    LIST,
    /** A Redis stream. */
    STREAM;

    /** Parses {@code list} or {@code stream}. */
    public static Type parse(String text) {
      try {
        return valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "redis queue type must be list or stream, got '" + text + "'", e);
      }
    }
  }

  private final String address;
  private final String key;
  private final Type type;
  private final String group;
  private final JedisPooled redis;

  /**
   * A source reading {@code key} on the server at {@code address}.
   *
   * @param address {@code host:port}
   * @param key the list or stream
   * @param type how the queue is kept
   * @param group a stream's consumer group, or {@code null} to count the whole stream
   * @param password the server's password, or {@code null} when it has none
   * @param timeoutMillis timeout for connecting and for one command
   */
  public RedisQueueSource(
      String address, String key, Type type, String group, String password, int timeoutMillis) {
    this.address = Objects.requireNonNull(address, "address");
    this.key = Objects.requireNonNull(key, "key");
    this.type = Objects.requireNonNull(type, "type");
    if (group != null && type != Type.STREAM) {
      throw new IllegalArgumentException("a consumer group needs type: stream, not " + type);
    }
    this.group = group;
    DefaultJedisClientConfig config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(timeoutMillis)
            .socketTimeoutMillis(timeoutMillis)
            .password(password)
            .clientName("fluxops-autoscaler")
            .build();
    this.redis = new JedisPooled(parseAddress(address), config);
  }

  /** Parses {@code host:port}, with IPv6 hosts in brackets. */
  static HostAndPort parseAddress(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(
          "redis address must be host:port, e.g. redis:6379, got '" + address + "'");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new HostAndPort(host, Integer.parseInt(address.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "redis address must end in a port number, got '" + address + "'", e);
    }
  }

  @Override
  public QueueReading read() {
    try {
      return switch (type) {
        case LIST -> QueueReading.of(redis.llen(key));
        case STREAM -> group == null ? QueueReading.of(redis.xlen(key)) : groupBacklog();
      };
    } catch (JedisException e) {
      return QueueReading.failed(
          "redis "
              + address
              + " "
              + type.name().toLowerCase(Locale.ROOT)
              + " "
              + key
              + ": "
              + explain(e));
    }
  }

  private QueueReading groupBacklog() {
    for (StreamGroupInfo info : redis.xinfoGroups(key)) {
      if (group.equals(info.getName())) {
        Object lag = info.getGroupInfo().get("lag");
        if (lag instanceof Number number) {
          return QueueReading.of(info.getPending() + number.longValue());
        }
        return new QueueReading(
            info.getPending(),
            1,
            List.of("redis cannot tell group " + group + "'s lag; counted pending only"));
      }
    }
    return QueueReading.failed(
        "redis stream " + key + " has no consumer group '" + group + "'; check the group name");
  }

  private String explain(JedisException e) {
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("WRONGTYPE")) {
      return "the key holds another type; set type to what the workers use (list or stream)";
    }
    if (message.contains("no such key")) {
      return "no such stream; check the key";
    }
    Throwable cause = e.getCause();
    return cause == null || cause.getMessage() == null
        ? message
        : message + " (" + cause.getMessage() + ")";
  }

  @Override
  public void close() {
    redis.close();
  }
}
