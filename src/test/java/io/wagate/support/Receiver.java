package io.wagate.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.vertx.core.json.JsonObject;

/** A webhook receiver on loopback that records every request and answers with a scripted status. */
public final class Receiver implements AutoCloseable {
  /** One received request. */
  public record Hit(String path, Map<String, List<String>> headers, String body, int answered) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    public boolean ok() {
      return answered >= 200 && answered < 300;
    }
  }

  private final HttpServer server;
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;

  private Receiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", exchange -> {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failureStatus : 200;
      hits.add(new Hit(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8), status));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  public static Receiver start() {
    return start(0);
  }

  public static Receiver start(int port) {
    try {
      return new Receiver(port);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next {@code n} requests get {@code status}. */
  public Receiver failNext(int n, int status) {
    failureStatus = status;
    failuresLeft.set(n);
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public List<Hit> hits() {
    return List.copyOf(hits);
  }

  public List<Hit> accepted() {
    return hits.stream().filter(Hit::ok).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
