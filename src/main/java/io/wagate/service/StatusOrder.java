package io.wagate.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.wagate.MessageEvent;
import io.wagate.repository.EventRepository;
import io.wagate.repository.MessageStatusRepository;

/**
 * {@code message.status} never goes backwards (docs/MESSAGES.md): per (message, recipient) {@code sent} < {@code delivered}
 * < {@code read} < {@code played}, a status not higher than the last one emitted is dropped, and {@code retry},
 * {@code inactive} and {@code server_error} are dropped once {@code delivered} was seen. The ranks are kept in the same
 * transaction as the events, so a restart or a second gateway cannot emit a regression either.
 */
@ApplicationScoped
public class StatusOrder {
  static final int DELIVERED = 2;
  private static final Map<String, Integer> RANK = Map.of("sent", 1, "delivered", DELIVERED, "read", 3, "played", 4);
  private static final Set<String> BEFORE_DELIVERY = Set.of("retry", "inactive", "server_error");

  /** What a status is subject to: raising the rank, being dropped after delivery, or nothing. */
  enum Rule {
    RAISE, BEFORE_DELIVERY, ANY
  }

  private final MessageStatusRepository statuses;
  private final EventRepository events;

  public StatusOrder(MessageStatusRepository statuses, EventRepository events) {
    this.statuses = statuses;
    this.events = events;
  }

  static Rule rule(String status) {
    if (RANK.containsKey(status)) {
      return Rule.RAISE;
    }
    return BEFORE_DELIVERY.contains(status) ? Rule.BEFORE_DELIVERY : Rule.ANY;
  }

  static int rank(String status) {
    return RANK.getOrDefault(status, 0);
  }

  /**
   * Appends {@code batch} in order through {@link EventRepository#appendAll}, each {@code message.status} narrowed to the
   * message ids it moves forward and left out when none is left. Yields the event ids in batch order, null where left out.
   */
  public Uni<List<Long>> appendAll(SqlClient conn, List<EventRepository.Append> batch) {
    // the append lock before the rank rows: every writer then takes them in one order (see EventRepository.lockAppends)
    Uni<Void> first = batch.stream().anyMatch(a -> MessageEvent.STATUS.equals(a.event())) ? events.lockAppends(conn) : Uni.createFrom().voidItem();
    return first.chain(() -> narrow(conn, batch, 0, new ArrayList<>())).chain(kept -> {
      List<EventRepository.Append> appended = kept.stream().filter(a -> a != null).toList();
      return events.appendAll(conn, appended).map(ids -> {
        List<Long> out = new ArrayList<>(kept.size());
        int next = 0;
        for (EventRepository.Append a : kept) {
          out.add(a == null ? null : ids.get(next++));
        }
        return out;
      });
    });
  }

  /**
   * A send's echo: {@code exchange}, then {@code status} (one message id) unless that message's rank is already as high,
   * in one statement. A transaction of its own would add BEGIN and COMMIT round trips while holding the append lock,
   * and this append sits between WhatsApp's ack and the API's answer (docs/MESSAGES.md, send path).
   */
  public Uni<List<Long>> appendEcho(EventRepository.Append exchange, EventRepository.Append status) {
    JsonObject d = status.data();
    return events.appendRaising(List.of(exchange, status), d.getJsonArray("messageIds").getString(0), d.getString("recipient", ""),
        rank(d.getString("status")));
  }

  /** One status after the other: a batch may carry several receipts of one message, each must see the one before. */
  private Uni<List<EventRepository.Append>> narrow(SqlClient conn, List<EventRepository.Append> batch, int from, List<EventRepository.Append> out) {
    if (from == batch.size()) {
      return Uni.createFrom().item(out);
    }
    EventRepository.Append a = batch.get(from);
    return narrow(conn, a).chain(kept -> {
      out.add(kept);
      return narrow(conn, batch, from + 1, out);
    });
  }

  private Uni<EventRepository.Append> narrow(SqlClient conn, EventRepository.Append a) {
    if (!MessageEvent.STATUS.equals(a.event())) {
      return Uni.createFrom().item(a);
    }
    String status = a.data().getString("status", "");
    List<String> ids = a.data().getJsonArray("messageIds", new JsonArray()).stream().map(String::valueOf).toList();
    String recipient = a.data().getString("recipient", "");
    Uni<Set<String>> moved = switch (rule(status)) {
      case RAISE -> statuses.raise(conn, a.instanceId(), recipient, rank(status), ids);
      case BEFORE_DELIVERY -> statuses.below(conn, a.instanceId(), recipient, DELIVERED, ids);
      case ANY -> Uni.createFrom().item(Set.copyOf(ids));
    };
    return moved.map(forward -> {
      List<String> kept = ids.stream().filter(forward::contains).toList();
      if (kept.isEmpty()) {
        return null;
      }
      if (kept.size() == ids.size()) {
        return a;
      }
      JsonObject data = a.data().copy().put("messageIds", new JsonArray(kept));
      return new EventRepository.Append(a.instanceId(), a.accountId(), a.instanceName(), a.event(), a.state(), data);
    });
  }
}
