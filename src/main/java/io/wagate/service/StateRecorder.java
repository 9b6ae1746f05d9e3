package io.wagate.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.wagate.Instance;
import io.wagate.SessionEvent;
import io.wagate.mapping.InstanceMapper;
import io.wagate.repository.EventRepository;
import io.wagate.repository.InstanceRepository;

/**
 * Applies lifecycle events to the observed state; the state update and its {@code instance_event} row are written in
 * one transaction, and the event id is announced on the Vert.x event bus after the commit.
 */
@ApplicationScoped
public class StateRecorder {
  /** Event-bus address carrying the id of every committed instance_event row (in-process listeners). */
  public static final String ADDRESS = "wagate.instance-event";
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final InstanceRepository instances;
  private final EventRepository events;
  private final EventBus bus;
  private final LifecycleMetrics metrics;

  private record Recorded(Long id, String from, String to) {
  }

  public StateRecorder(InstanceRepository instances, EventRepository events, EventBus bus, LifecycleMetrics metrics) {
    this.instances = instances;
    this.events = events;
    this.bus = bus;
    this.metrics = metrics;
  }

  /** Records {@code e}; yields the new event id, or null when the instance is gone or nothing changed. */
  public Uni<Long> apply(SessionEvent e) {
    if (e.instanceId() == null) {
      return Uni.createFrom().nullItem();
    }
    return instances.pool().withTransaction(conn -> instances.findByIdForUpdate(conn, e.instanceId()).chain(current -> {
      if (current == null) {
        return Uni.createFrom().<Recorded>nullItem();
      }
      Instance next = StateMachine.next(current, e);
      if (next == null) {
        return Uni.createFrom().<Recorded>nullItem();
      }
      return instances.updateObserved(conn, next)
          .chain(() -> events.append(conn, next.id(), next.accountId(), next.name(), e.kind(), data(current, next, e)))
          .map(id -> new Recorded(id, current.state(), next.state()));
    })).map(r -> {
      if (r == null || r.id() == null) {
        return null;
      }
      // counted after the commit, so a rolled-back transition never shows
      metrics.recorded(r.from(), r.to(), e.kind());
      Log.debugf("instance %s: %s (event %d)", e.instanceId(), e.kind(), r.id());
      bus.publish(ADDRESS, r.id());
      return r.id();
    });
  }

  /** An event the gateway itself observed (e.g. a logout it performed). */
  public Uni<Long> local(UUID instanceId, String kind, String reason) {
    return apply(new SessionEvent(null, 0, instanceId, kind, System.currentTimeMillis(), null, reason, 0, List.of(), null, 0, null, false));
  }

  static JsonObject data(Instance before, Instance after, SessionEvent e) {
    JsonObject d = new JsonObject().put("instance", after.name()).put("state", e.kind())
        .put("timestamp", SECONDS.format(Instant.ofEpochMilli(e.timestampMillis() > 0 ? e.timestampMillis() : System.currentTimeMillis())));
    String numberJid = InstanceMapper.numberJid(e.jid() != null ? e.jid() : after.jid());
    if (numberJid != null && ("pair_success".equals(e.kind()) || "connected".equals(e.kind()))) {
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
    d.put("previousState", before.state());
    return d;
  }
}
