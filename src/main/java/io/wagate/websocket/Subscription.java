package io.wagate.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.wagate.events.EventHub;
import io.wagate.events.EventRecord;

/**
 * One open socket as a hub subscriber. Live frames are held back while the snapshot and the replay go out, then sent
 * in order behind them. Every frame is written from the connection's own context, so writes keep the order in which
 * they were issued. At most {@code max} frames may be unwritten (held, or queued in the connection because the client
 * does not read); one more and the client is closed with 1008 {@code Client too slow}. The hub never waits for a
 * client, so a slow one cannot hold back the others, and its memory is bounded.
 */
final class Subscription implements EventHub.Subscriber {
  static final short TOO_SLOW = 1008;

  private final WebSocketConnection connection;
  private final Context context;
  private final UUID instanceId;
  private final Predicate<EventRecord> filter;
  private final int max;
  private final Runnable onSlow;
  private final AtomicInteger unwritten = new AtomicInteger();
  private List<String> held = new ArrayList<>();
  private volatile boolean closed;

  Subscription(WebSocketConnection connection, Context context, UUID instanceId, Predicate<EventRecord> filter, int max, Runnable onSlow) {
    this.connection = connection;
    this.context = context;
    this.instanceId = instanceId;
    this.filter = filter;
    this.max = max;
    this.onSlow = onSlow;
  }

  /** The instance of a {@code /ws/:instance} socket; null for an account socket. */
  UUID instanceId() {
    return instanceId;
  }

  WebSocketConnection connection() {
    return connection;
  }

  @Override
  public boolean wants(EventRecord r) {
    return !closed && filter.test(r);
  }

  @Override
  public synchronized void offer(EventRecord r, String frame) {
    if (closed) {
      return;
    }
    if (held != null) {
      held.add(frame);
      if (held.size() > max) {
        tooSlow();
      }
      return;
    }
    write(frame);
  }

  /** A frame that goes ahead of the live ones (snapshot, replay); completes once written. */
  Uni<Void> sendAhead(String frame) {
    return write(frame);
  }

  /** Ends the replay: held live frames go out, later ones are written as they come. */
  synchronized void goLive() {
    List<String> frames = held;
    held = null;
    if (frames != null && !closed) {
      frames.forEach(this::write);
    }
  }

  void markClosed() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  /** Issues the write at once (so call order is write order); the Uni completes once the frame is written or dropped. */
  private Uni<Void> write(String frame) {
    if (closed) {
      return Uni.createFrom().voidItem();
    }
    if (unwritten.incrementAndGet() > max) {
      unwritten.decrementAndGet();
      tooSlow();
      return Uni.createFrom().voidItem();
    }
    CompletableFuture<Void> written = new CompletableFuture<>();
    context.runOnContext(v -> connection.sendText(frame).subscribe().with(ok -> {
      unwritten.decrementAndGet();
      written.complete(null);
    }, failure -> {
      unwritten.decrementAndGet();
      written.complete(null);
    }));
    return Uni.createFrom().completionStage(written);
  }

  private void tooSlow() {
    if (closed) {
      return;
    }
    closed = true;
    onSlow.run();
    Log.debugf("WebSocket %s closed: client too slow", connection.id());
    connection.close(new CloseReason(TOO_SLOW, "Client too slow")).subscribe().with(v -> { }, e -> { });
  }
}
