package io.wagate.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/** A WebSocket client (the JDK's) that collects the JSON frames it receives. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
  /** Close code and reason as received. */
  public record Close(int code, String reason) {
  }

  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  public static WsClient open(String pathAndQuery, String token) {
    return open(RestAssured.port, pathAndQuery, token);
  }

  /** Opens {@code pathAndQuery}; {@code token} goes in the {@code token} header unless null (then the query carries it). */
  public static WsClient open(int port, String pathAndQuery, String token) {
    WsClient client = new WsClient();
    try {
      WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
      if (token != null) {
        builder.header("token", token);
      }
      client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), client).get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("WebSocket " + pathAndQuery + " did not open: " + e, e);
    }
    return client;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      frames.add(new JsonObject(partial.toString()));
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.complete(new Close(-1, String.valueOf(error)));
  }

  /** The next frame, failing after {@code timeout}. */
  public JsonObject next(Duration timeout) {
    try {
      JsonObject f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (f == null) {
        throw new AssertionError("no WebSocket frame within " + timeout);
      }
      return f;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Frames up to and including the first that matches, failing after {@code timeout}. */
  public List<JsonObject> until(Predicate<JsonObject> stop, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonObject> seen = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching WebSocket frame within " + timeout + "; saw " + seen);
      }
      JsonObject f = next(Duration.ofNanos(left));
      seen.add(f);
      if (stop.test(f)) {
        return seen;
      }
    }
  }

  public Close awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("WebSocket not closed within " + timeout, e);
    }
  }

  public static Predicate<JsonObject> state(String state) {
    return f -> !f.getBoolean("snapshot", false) && state.equals(f.getJsonObject("data").getString("state"));
  }

  @Override
  public void close() {
    if (socket != null && !socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    if (socket != null) {
      socket.abort();
    }
  }
}
