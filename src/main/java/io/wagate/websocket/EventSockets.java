package io.wagate.websocket;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wagate.Instance;
import io.wagate.Principal;
import io.wagate.events.Envelopes;
import io.wagate.events.EventHub;
import io.wagate.events.EventRecord;
import io.wagate.events.EventStore;
import io.wagate.events.InstanceDeleted;
import io.wagate.mapping.InstanceMapper;
import io.wagate.repository.InstanceRepository;
import io.wagate.repository.IntegrationRepository;
import io.wagate.security.AuthService;
import io.wagate.service.DomainException;
import io.wagate.service.InstanceService;

/**
 * Opens event streams for the WebSocket endpoints: the snapshot, or the replay of {@code ?since} instead, then live, with
 * the hub's seam in between so that nothing is missed or sent twice. The upgrade itself was already checked by
 * {@link UpgradeGuard}; the caller is resolved again here because the endpoint does not see the routing context.
 */
@ApplicationScoped
@Startup // created eagerly so that wagate.websocket.connections is exported (as 0) before the first client
public class EventSockets {
  static final int REPLAY_PAGE = 200;
  static final short POLICY = 1008;

  private final EventHub hub;
  private final EventStore store;
  private final Envelopes envelopes;
  private final AuthService auth;
  private final InstanceService instanceService;
  private final InstanceRepository instances;
  private final IntegrationRepository integrations;
  private final int buffer;
  private final SocketQuota quota;
  private final Map<String, Subscription> open = new ConcurrentHashMap<>();

  @SuppressWarnings("java:S107") // one collaborator per concern
  public EventSockets(EventHub hub, EventStore store, Envelopes envelopes, AuthService auth, InstanceService instanceService, InstanceRepository instances,
      IntegrationRepository integrations, io.wagate.config.WagateConfig config, MeterRegistry metrics, SocketQuota quota) {
    this.quota = quota;
    this.hub = hub;
    this.store = store;
    this.envelopes = envelopes;
    this.auth = auth;
    this.instanceService = instanceService;
    this.instances = instances;
    this.integrations = integrations;
    // the hub offers a whole page at once, faster than any socket writes: a buffer below two pages would drop healthy clients
    this.buffer = Math.max(config.events().websocketBuffer(), 2 * EventHub.PAGE);
    metrics.gaugeMapSize("wagate.websocket.connections", List.of(), open);
  }

  Uni<Void> openInstance(WebSocketConnection c) {
    Context context = Vertx.currentContext();
    Long since = UpgradeGuard.since(c.handshakeRequest().query());
    return principal(c).chain(p -> instanceService.resolve(p, c.pathParam("instance"))).chain(i -> {
      Subscription sub = new Subscription(c, context, i.id(), r -> r.instanceId().equals(i.id()) && r.websocketWants(), buffer, () -> forget(c));
      long seam = register(c, sub);
      // a snapshot would carry an id newer than the replay: a client that tracks the last id would drop the replay
      Uni<Void> head = since == null ? store.latest(i.id(), seam).chain(latest -> sub.sendAhead(snapshot(i, latest)))
          : replay(sub, after -> store.range(i.id(), after, seam, REPLAY_PAGE), since, seam);
      return head.invoke(sub::goLive);
    }).onFailure().recoverWithUni(e -> refuse(c, e));
  }

  Uni<Void> openAccount(WebSocketConnection c) {
    Context context = Vertx.currentContext();
    Long since = UpgradeGuard.since(c.handshakeRequest().query());
    return principal(c).chain(p -> {
      if (!p.isAccount()) {
        return Uni.createFrom().failure(DomainException.invalidToken());
      }
      Subscription sub = new Subscription(c, context, null,
          r -> r.accountId().equals(p.accountId()) && Boolean.TRUE.equals(r.websocketEnabled()) && r.websocketWants(), buffer, () -> forget(c));
      long seam = register(c, sub);
      Uni<Void> head = since == null ? accountSnapshots(p.accountId(), seam, sub)
          : replay(sub, after -> store.accountRange(p.accountId(), after, seam, REPLAY_PAGE), since, seam);
      return head.invoke(sub::goLive);
    }).onFailure().recoverWithUni(e -> refuse(c, e));
  }

  void closed(WebSocketConnection c) {
    forget(c);
    Log.debugf("WebSocket %s closed", c.id());
  }

  /** Closes this replica's {@code /ws/:instance} sockets of a deleted instance with 1000 {@code Instance deleted}. */
  void instanceDeleted(@Observes InstanceDeleted deleted) {
    UUID instanceId = deleted.instanceId();
    open.values().stream().filter(s -> instanceId.equals(s.instanceId())).forEach(s -> {
      forget(s.connection());
      s.connection().close(new CloseReason(CloseReason.NORMAL.getCode(), "Instance deleted")).subscribe().with(v -> { }, e -> { });
    });
  }

  private long register(WebSocketConnection c, Subscription sub) {
    open.put(c.id(), sub);
    long seam = hub.register(sub);
    if (c.isClosed()) {
      forget(c);
    }
    return seam;
  }

  private void forget(WebSocketConnection c) {
    quota.release(c.id());
    Subscription sub = open.remove(c.id());
    if (sub != null) {
      sub.markClosed();
      hub.unregister(sub);
    }
  }

  /** Replays (since, seam] page by page, each page written before the next is read. */
  private Uni<Void> replay(Subscription sub, java.util.function.LongFunction<Uni<List<EventRecord>>> page, long after, long seam) {
    if (after >= seam || sub.isClosed()) {
      return Uni.createFrom().voidItem();
    }
    return page.apply(after).chain(list -> {
      if (list.isEmpty()) {
        return Uni.createFrom().voidItem();
      }
      Uni<Void> last = Uni.createFrom().voidItem();
      for (EventRecord r : list) {
        if (r.websocketWants()) {
          last = sub.sendAhead(envelopes.encode(r));
        }
      }
      long next = list.get(list.size() - 1).id();
      return last.chain(() -> list.size() < REPLAY_PAGE ? Uni.createFrom().voidItem() : replay(sub, page, next, seam));
    });
  }

  private String snapshot(Instance i, EventRecord latest) {
    if (latest != null) {
      return envelopes.snapshot(i.name(), latest.data(), i.tokenEnc(), latest.id(), latest.createdAt());
    }
    JsonObject data = new JsonObject().put("instance", i.name()).put("state", i.eventState() != null ? i.eventState().wire() : i.state().wire())
        .put("timestamp", InstanceMapper.iso(i.since() != null ? i.since() : i.createdAt()));
    return envelopes.snapshot(i.name(), data, i.tokenEnc(), 0, i.since() != null ? i.since() : i.createdAt());
  }

  private Uni<Void> accountSnapshots(UUID accountId, long seam, Subscription sub) {
    return instances.listByAccount(accountId).chain(list -> {
      List<UUID> ids = list.stream().map(Instance::id).toList();
      return integrations.websocketConfigs(ids).chain(configs -> store.latestPerInstance(accountId, seam).chain(latest -> {
        Map<UUID, EventRecord> byInstance = new java.util.HashMap<>();
        latest.forEach(r -> byInstance.put(r.instanceId(), r));
        Uni<Void> last = Uni.createFrom().voidItem();
        for (Instance i : list) {
          JsonObject cfg = configs.get(i.id());
          if (cfg != null && Boolean.TRUE.equals(cfg.getBoolean("enabled"))) {
            last = sub.sendAhead(snapshot(i, byInstance.get(i.id())));
          }
        }
        return last;
      }));
    });
  }

  /** The caller, holding one of its token's WebSocket slots until {@link #forget}. */
  private Uni<Principal> principal(WebSocketConnection c) {
    return auth.resolve(token(c.handshakeRequest())).map(p -> p.orElseThrow(DomainException::invalidToken)).invoke(p -> {
      if (!quota.acquire(p.tokenHash(), c.id())) {
        throw DomainException.rateLimited(SocketQuota.TOO_MANY);
      }
    });
  }

  private Uni<Void> refuse(WebSocketConnection c, Throwable e) {
    forget(c);
    String reason = e instanceof DomainException api ? api.getMessage() : "Internal error";
    if (!(e instanceof DomainException)) {
      Log.warnf("WebSocket %s could not be opened: %s", c.id(), e.getMessage());
    }
    return c.close(new CloseReason(POLICY, reason)).onFailure().recoverWithNull();
  }

  /** The token as {@link io.wagate.rest.GatewayRouter#token} reads it: {@code token} header, Bearer, or {@code ?token=}. */
  static String token(HandshakeRequest request) {
    String header = request.header("token");
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    String authorization = request.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return Optional.ofNullable(UpgradeGuard.queryParam(request.query(), "token")).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
  }
}
