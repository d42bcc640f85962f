package io.fluxops.operator.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import redis.clients.jedis.JedisPooled;

/** A real redis-server (Debian's package) on a free loopback port, for one test. */
public final class RedisServer implements AutoCloseable {

  private final Process process;
  private final int port;
  private final JedisPooled client;

  private RedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
    this.client = new JedisPooled("127.0.0.1", port);
  }

  /** Starts a server without persistence; fails with a hint when redis-server is missing. */
  public static RedisServer start() throws IOException {
    Path binary = Path.of("/usr/bin/redis-server");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "redis-server is not installed: apt-get install redis-server (.ci/run does)");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    RedisServer server = new RedisServer(process, port);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> "PONG".equals(server.client.ping()));
    return server;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public JedisPooled client() {
    return client;
  }

  @Override
  public void close() throws InterruptedException {
    client.close();
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
