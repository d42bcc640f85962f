package io.fluxops.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fluxops.autoscale.Reading;
import io.fluxops.queue.RedisQueueSource.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;

/** Against a real redis-server on a loopback port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisQueueSourceTest {

  private LocalProcess server;
  private String address;
  private JedisPooled redis;

  @BeforeAll
  void startRedis(@TempDir Path dir) {
    int port = LocalProcess.freePort();
    address = "127.0.0.1:" + port;
    server =
        LocalProcess.start(
            dir,
            List.of(
                "/usr/bin/redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    redis = new JedisPooled("127.0.0.1", port);
    await("redis-server answers PING")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(server.alive()).as(server.output()).isTrue();
              assertThat(redis.ping()).isEqualTo("PONG");
            });
  }

  @AfterAll
  void stopRedis() {
    if (redis != null) {
      redis.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void empty() {
    redis.flushAll();
  }

  private QueueReading read(String key, Type type, String group) {
    try (RedisQueueSource source = new RedisQueueSource(address, key, type, group, null, 2000)) {
      return source.read();
    }
  }

  @Test
  void readsTheLengthOfAList() {
    redis.rpush("flux:jobs", "a", "b", "c");
    assertThat(read("flux:jobs", Type.LIST, null).toReading()).isEqualTo(Reading.of(3));
  }

  @Test
  void aMissingListIsAnEmptyQueue() {
    assertThat(read("flux:none", Type.LIST, null).toReading()).isEqualTo(Reading.of(0));
  }

  @Test
  void readsTheLengthOfAStream() {
    for (int i = 0; i < 4; i++) {
      redis.xadd("flux:stream", StreamEntryID.NEW_ENTRY, Map.of("prompt", "cat " + i));
    }
    assertThat(read("flux:stream", Type.STREAM, null).depth()).isEqualTo(4);
  }

  @Test
  void countsAConsumerGroupsPendingAndUndeliveredEntries() {
    for (int i = 0; i < 5; i++) {
      redis.xadd("flux:stream", StreamEntryID.NEW_ENTRY, Map.of("prompt", "cat " + i));
    }
    redis.xgroupCreate("flux:stream", "workers", new StreamEntryID(), false);
    var delivered =
        redis.xreadGroupAsMap(
            "workers",
            "gpu-0",
            XReadGroupParams.xReadGroupParams().count(2),
            Map.of("flux:stream", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    assertThat(read("flux:stream", Type.STREAM, "workers").toReading()).isEqualTo(Reading.of(5));

    // A worker finishes one job: two running minus one, three waiting.
    redis.xack("flux:stream", "workers", delivered.get("flux:stream").get(0).getID());
    assertThat(read("flux:stream", Type.STREAM, "workers").toReading()).isEqualTo(Reading.of(4));
  }

  @Test
  void anUnknownGroupFailsNamingIt() {
    redis.xadd("flux:stream", StreamEntryID.NEW_ENTRY, Map.of("prompt", "cat"));
    QueueReading reading = read("flux:stream", Type.STREAM, "nobody");
    assertThat(reading.failed()).isTrue();
    assertThat(reading.failures())
        .singleElement()
        .asString()
        .contains("no consumer group 'nobody'");
  }

  @Test
  void aKeyOfAnotherTypeFailsSayingWhatToChange() {
    redis.rpush("flux:jobs", "a");
    QueueReading reading = read("flux:jobs", Type.STREAM, null);
    assertThat(reading.toReading().failed()).isTrue();
    assertThat(reading.failures())
        .singleElement()
        .asString()
        .contains("flux:jobs")
        .contains("set type to what the workers use");
  }

  @Test
  void anUnreachableServerIsAFailedReadingNotAnEmptyQueue() {
    String closed = "127.0.0.1:" + LocalProcess.freePort();
    try (RedisQueueSource source =
        new RedisQueueSource(closed, "flux:jobs", Type.LIST, null, null, 500)) {
      QueueReading reading = source.read();
      assertThat(reading.failed()).isTrue();
      assertThat(reading.failures()).singleElement().asString().startsWith("redis " + closed);
    }
  }

  @Test
  void rejectsAddressesAndOptionsAUserCouldMistype() {
    assertThatThrownBy(() -> RedisQueueSource.parseAddress("redis"))
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> RedisQueueSource.parseAddress("redis:abc"))
        .hasMessageContaining("port number");
    assertThat(RedisQueueSource.parseAddress("[::1]:6379").getHost()).isEqualTo("::1");
    assertThatThrownBy(() -> Type.parse("queue")).hasMessageContaining("list or stream");
    assertThatThrownBy(() -> new RedisQueueSource(address, "k", Type.LIST, "g", null, 100))
        .hasMessageContaining("needs type: stream");
  }
}
