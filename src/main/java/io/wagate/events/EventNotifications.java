package io.wagate.events;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.ConsumeEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.wagate.health.DatabaseOutage;
import io.wagate.repository.EventRepository;

/**
 * How replicas learn about each other's writes: a dedicated LISTEN connection (the reactive client's PgSubscriber,
 * which reconnects by itself) on {@code wagate_events} (payload: event id) and {@code wagate_instance_deleted}
 * (payload: instance id). Events written by this replica are also announced in-process at once, which saves the
 * round trip through PostgreSQL; the hub reads by id range, so hearing of an event twice costs nothing.
 */
@ApplicationScoped
public class EventNotifications {
  /** Event-bus address carrying the id of every committed instance_event row (in-process listeners). */
  public static final String COMMITTED_ADDRESS = "wagate.instance-event";
  /** Event-bus address of a deleted instance ({@code instanceId}, {@code accountId}), published by the service after the delete committed. */
  public static final String DELETED_ADDRESS = "wagate.instance-deleted";
  static final String DELETED_CHANNEL = "wagate_instance_deleted";

  private final Vertx vertx;
  private final Pool pool;
  private final DatabaseOutage database;
  private final EventHub hub;
  private final WebhookDispatcher dispatcher;
  private final Event<InstanceDeleted> deletions;
  // the datasource settings are Quarkus' own keys; the LISTEN connection must not come from the pool
  private final String url;
  private final String user;
  private final String password;
  private PgSubscriber subscriber;
  private volatile boolean stopped;

  @SuppressWarnings("java:S107") // one collaborator per concern
  public EventNotifications(Vertx vertx, Pool pool, EventHub hub, WebhookDispatcher dispatcher, Event<InstanceDeleted> deletions, DatabaseOutage database,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") String url, @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") String password) {
    this.vertx = vertx;
    this.database = database;
    this.pool = pool;
    this.hub = hub;
    this.dispatcher = dispatcher;
    this.deletions = deletions;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  void onStart(@Observes StartupEvent event) {
    String uri = url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url;
    PgConnectOptions options = PgConnectOptions.fromUri(uri).setUser(user).setPassword(password);
    subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
    subscriber.channel(EventRepository.NOTIFY_CHANNEL).handler(payload -> {
      hub.announced(parse(payload));
      dispatcher.poke();
    }).subscribeHandler(() -> {
      // (re)subscribed: anything announced while the connection was down is read now
      hub.poke();
      dispatcher.poke();
    });
    subscriber.channel(DELETED_CHANNEL).handler(payload -> {
      try {
        deletions.fire(new InstanceDeleted(UUID.fromString(payload)));
      } catch (IllegalArgumentException e) {
        Log.debugf("Ignoring malformed %s payload", DELETED_CHANNEL);
      }
    });
    listen();
  }

  /** The subscriber reconnects by itself once connected; a failed first connect is retried here. */
  private void listen() {
    if (stopped) {
      return;
    }
    subscriber.connect().subscribe().with(v -> Log.debugf("Listening on %s and %s", EventRepository.NOTIFY_CHANNEL, DELETED_CHANNEL), e -> {
      if (!database.failed("LISTEN", e)) {
        Log.warnf("LISTEN connection failed, retrying: %s", e.getMessage());
      }
      vertx.setTimer(1_000, id -> listen());
    });
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
    if (subscriber != null) {
      subscriber.close().subscribe().with(v -> { }, e -> { });
    }
  }

  @ConsumeEvent(COMMITTED_ADDRESS)
  void committed(Long id) {
    hub.announced(id);
    dispatcher.poke();
  }

  /** Closes this replica's sockets of a deleted instance and tells the other replicas to close theirs. */
  @ConsumeEvent(DELETED_ADDRESS)
  void deleted(JsonObject instance) {
    UUID id = UUID.fromString(instance.getString("instanceId"));
    deletions.fire(new InstanceDeleted(id));
    pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(DELETED_CHANNEL, id.toString())).subscribe()
        .with(rows -> { }, e -> Log.warnf("Could not announce a deleted instance to other replicas: %s", e.getMessage()));
  }

  private static long parse(String payload) {
    try {
      return Long.parseLong(payload.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
