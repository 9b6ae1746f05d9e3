package io.wagate.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.LifecycleEvent;
import io.wagate.MessageEvent;
import io.wagate.SessionEvent;
import io.wagate.events.EventNotifications;
import io.wagate.mapping.InstanceMapper;
import io.wagate.repository.EventRepository;
import io.wagate.repository.InstanceRepository;
import io.wagate.repository.StreamMarkRepository;
import io.wagate.repository.Transactions;

/**
 * Applies lifecycle events to the observed state; the state updates and their {@code instance_event} rows are written
 * in one transaction per batch, and the event ids are announced on the Vert.x event bus after the commit.
 */
@ApplicationScoped
public class StateRecorder {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final InstanceRepository instances;
  private final Transactions transactions;
  private final StreamMarkRepository marks;
  private final EventBus bus;
  private final LifecycleMetrics metrics;
  private final StatusOrder statusOrder;

  private record Recorded(SessionEvent event, InstanceState from, InstanceState to, Long id) {
    Recorded(SessionEvent event, InstanceState from, InstanceState to) {
      this(event, from, to, null);
    }

    Recorded withId(Long eventId) {
      return new Recorded(event, from, to, eventId);
    }
  }

  public StateRecorder(InstanceRepository instances, Transactions transactions, EventBus bus, LifecycleMetrics metrics, StatusOrder statusOrder,
      StreamMarkRepository marks) {
    this.marks = marks;
    this.statusOrder = statusOrder;
    this.instances = instances;
    this.transactions = transactions;
    this.bus = bus;
    this.metrics = metrics;
  }

  /** Records {@code e}; yields the new event id, or null when the instance is gone or nothing changed. */
  public Uni<Long> apply(SessionEvent e) {
    return applyAll(List.of(e)).map(ids -> ids.isEmpty() ? null : ids.get(0));
  }

  /**
   * Records a batch in one transaction, in list order: each event sees the state left by the ones before it, the rows
   * are locked once and written back once per instance, and the event rows are appended in order in one pipelined round
   * trip. Yields the new event ids in order (events that change nothing, or of deleted instances, have none).
   */
  public Uni<List<Long>> applyAll(List<SessionEvent> batch) {
    return applyAll(batch, null);
  }

  /**
   * As {@link #applyAll(List)}, and in the same transaction records that the sidecar's stream is stored through
   * {@code through} (the last event the consumer took from it, recorded or not), so that a restarted gateway skips
   * what the sidecar replays of it.
   */
  public Uni<List<Long>> applyAll(List<SessionEvent> batch, SessionEvent through) {
    List<SessionEvent> relevant = batch.stream().filter(e -> e.instanceId() != null).toList();
    boolean mark = through != null && through.bootId() != null && through.seq() > 0;
    if (relevant.isEmpty() && !mark) {
      return Uni.createFrom().item(List.of());
    }
    return transactions.run(conn -> record(conn, relevant).call(() -> mark ? marks.store(conn, through.bootId(), through.seq()) : Uni.createFrom().voidItem()))
        .map(this::announce);
  }

  private Uni<List<Recorded>> record(SqlConnection conn, List<SessionEvent> relevant) {
    if (relevant.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    UUID[] ids = relevant.stream().map(SessionEvent::instanceId).distinct().sorted().toArray(UUID[]::new);
    return instances.findAllForUpdate(conn, ids).chain(found -> {
      Map<UUID, Instance> current = new HashMap<>();
      found.forEach(i -> current.put(i.id(), i));
      Map<UUID, Instance> changed = new LinkedHashMap<>();
      List<Recorded> recorded = new ArrayList<>();
      List<EventRepository.Append> appends = new ArrayList<>();
      for (SessionEvent e : relevant) {
        Instance before = current.get(e.instanceId());
        if (e.isMessaging()) {
          // logged in stream order beside the state events, but a message never moves the state
          if (before != null) {
            recorded.add(new Recorded(e, before.state(), before.state()));
            appends.add(messageAppend(before, e.messaging()));
          }
          continue;
        }
        Instance next = before == null ? null : StateMachine.next(before, e);
        if (next == null) {
          continue;
        }
        current.put(next.id(), next);
        changed.put(next.id(), next);
        recorded.add(new Recorded(e, before.state(), next.state()));
        appends.add(new EventRepository.Append(next.id(), next.accountId(), next.name(), e.kind().wire(), data(before, next, e)));
      }
      if (recorded.isEmpty()) {
        return Uni.createFrom().item(List.<Recorded>of());
      }
      Uni<Void> observed = changed.isEmpty() ? Uni.createFrom().voidItem() : instances.updateObservedAll(conn, List.copyOf(changed.values()));
      return observed.chain(() -> statusOrder.appendAll(conn, appends))
          .map(eventIds -> {
            List<Recorded> out = new ArrayList<>(eventIds.size());
            for (int n = 0; n < eventIds.size(); n++) {
              // null: a message or receipt the log already holds (published again by the sidecar, or delivered again),
              // or a receipt StatusOrder dropped as not moving forward
              if (eventIds.get(n) != null) {
                out.add(recorded.get(n).withId(eventIds.get(n)));
              }
            }
            return out;
          });
    });
  }

  /** After the commit: counted and announced only then, so a rolled-back transition never shows. */
  private List<Long> announce(List<Recorded> committed) {
    List<Long> ids = new ArrayList<>(committed.size());
    for (Recorded r : committed) {
      if (!r.event().isMessaging()) {
        metrics.recorded(r.from(), r.to(), r.event().kind());
        Log.debugf("instance %s: %s (event %d)", r.event().instanceId(), r.event().kind(), r.id());
      }
      bus.publish(EventNotifications.COMMITTED_ADDRESS, r.id());
      ids.add(r.id());
    }
    return ids;
  }

  /** The echo of a send and its {@code sent} status, the only messaging events the gateway produces itself. */
  public Uni<List<Long>> echo(Instance i, MessageEvent exchange, MessageEvent sent) {
    return statusOrder.appendEcho(messageAppend(i, exchange), messageAppend(i, sent)).map(ids -> ids.stream().filter(id -> id != null).toList())
        .invoke(ids -> ids.forEach(id -> bus.publish(EventNotifications.COMMITTED_ADDRESS, id)));
  }

  private static EventRepository.Append messageAppend(Instance i, MessageEvent m) {
    return new EventRepository.Append(i.id(), i.accountId(), i.name(), m.event(), m.label(), m.data(), m.dedupeKey());
  }

  /** An event the gateway itself observed (e.g. a logout it performed). */
  public Uni<Long> local(UUID instanceId, LifecycleEvent kind, String reason) {
    return apply(localEvent(instanceId, kind, reason));
  }

  /** The same event for many instances, in one transaction. */
  public Uni<List<Long>> localAll(List<UUID> instanceIds, LifecycleEvent kind, String reason) {
    return applyAll(instanceIds.stream().map(id -> localEvent(id, kind, reason)).toList());
  }

  private static SessionEvent localEvent(UUID instanceId, LifecycleEvent kind, String reason) {
    return new SessionEvent(null, 0, instanceId, kind, System.currentTimeMillis(), null, reason, 0, List.of(), null, 0, null, false);
  }

  static JsonObject data(Instance before, Instance after, SessionEvent e) {
    JsonObject d = new JsonObject().put("instance", after.name()).put("state", e.kind().wire())
        .put("timestamp", SECONDS.format(Instant.ofEpochMilli(e.timestampMillis() > 0 ? e.timestampMillis() : System.currentTimeMillis())));
    String numberJid = InstanceMapper.numberJid(e.jid() != null ? e.jid() : after.jid());
    if (numberJid != null && (e.kind() == LifecycleEvent.PAIR_SUCCESS || e.kind() == LifecycleEvent.CONNECTED)) {
      d.put("numberJid", numberJid);
    }
    if (!e.codes().isEmpty()) {
      d.put("codes", new JsonArray(e.codes()));
    }
    if (e.pairingCode() != null) {
      d.put("pairingCode", e.pairingCode());
    }
    if (e.reason() != null) {
      d.put("reason", e.reason());
    }
    if (e.code() != 0) {
      d.put("code", e.code());
    }
    if (e.expiresAtUnix() > 0) {
      d.put("expiresAt", SECONDS.format(Instant.ofEpochSecond(e.expiresAtUnix())));
    }
    d.put("previousState", before.state().wire());
    return d;
  }
}
