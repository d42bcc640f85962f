package io.fluxops.metering.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.SocketFactory;

/**
 * One keep-alive HTTP/1.1 connection used from one thread, blocking, like the Python {@code
 * requests} session BFL's reference code uses. The benchmark measures the sidecar with it rather
 * than {@code java.net.http.HttpClient}, whose hand-offs between its own threads add client-side
 * latency no inference server would have.
 */
final class BlockingHttpClient implements Closeable {
  private final URI base;
  private final SocketFactory sockets;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  /** A plain-HTTP client. */
  BlockingHttpClient(URI base) {
    this(base, SocketFactory.getDefault());
  }

  /** A client that connects through {@code sockets}, e.g. an {@code SSLSocketFactory}. */
  BlockingHttpClient(URI base, SocketFactory sockets) {
    this.base = base;
    this.sockets = sockets;
  }

  /** POSTs a JSON body; returns the status. Reconnects once if the kept-alive connection died. */
  int post(String path, String json, String key) throws IOException {
    byte[] request = request(path, json, key);
    try {
      return exchange(request);
    } catch (IOException e) {
      close();
      return exchange(request);
    }
  }

  private byte[] request(String path, String json, String key) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\n"
            + "Host: "
            + base.getHost()
            + ":"
            + base.getPort()
            + "\r\n"
            + "Content-Type: application/json\r\n"
            + (key == null ? "" : "x-key: " + key + "\r\n")
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + body.length);
    bytes.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    bytes.writeBytes(body);
    return bytes.toByteArray();
  }

  private int exchange(byte[] request) throws IOException {
    if (socket == null) {
      socket = sockets.createSocket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
      socket.setSoTimeout(10_000);
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }
    out.write(request);
    out.flush();
    int status = Integer.parseInt(line().split(" ")[1]);
    long length = 0;
    for (String header = line(); !header.isEmpty(); header = line()) {
      if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(header.substring(15).strip());
      }
    }
    in.skipNBytes(length);
    return status;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException e) {
      // closing a broken connection; nothing to do
    } finally {
      socket = null;
    }
  }
}
