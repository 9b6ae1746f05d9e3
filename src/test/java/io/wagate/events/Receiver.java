package io.wagate.events;

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
final class Receiver implements AutoCloseable {
  /** One received request. */
  record Hit(String path, Map<String, List<String>> headers, String body, int answered) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    boolean ok() {
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

  static Receiver start() {
    return start(0);
  }

  static Receiver start(int port) {
    try {
      return new Receiver(port);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next {@code n} requests get {@code status}. */
  Receiver failNext(int n, int status) {
    failureStatus = status;
    failuresLeft.set(n);
    return this;
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  List<Hit> hits() {
    return List.copyOf(hits);
  }

  List<Hit> accepted() {
    return hits.stream().filter(Hit::ok).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
