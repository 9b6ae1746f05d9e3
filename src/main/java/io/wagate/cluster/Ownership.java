package io.wagate.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.wagate.config.HostName;
import io.wagate.config.WagateConfig;
import io.wagate.health.DatabaseOutage;

/**
 * Which instances this gateway owns. With {@code wagate.cluster.enabled} off it owns every instance and nothing is
 * written. On, every renew interval it refreshes its heartbeat, renews its leases (a lost one is dropped at once), takes
 * the free instances that rendezvous hashing over the live members gives it, and hands over (drop, then release) those
 * it holds that now belong to another live member.
 */
@ApplicationScoped
public class Ownership {
  private static final long SHUTDOWN_WAIT_MS = 10_000;

  private final boolean enabled;
  private final Membership membership;
  private final Leases leases;
  private final Vertx vertx;
  private final DatabaseOutage database;
  private final long renewMillis;
  private final AtomicBoolean ticking = new AtomicBoolean();
  private volatile OwnershipListener listener;
  private volatile boolean stopped;
  private volatile long lastPassNanos;
  private volatile int shareMissing = -1;
  private long timer = -1;

  public Ownership(WagateConfig config, Pool pool, Vertx vertx, DatabaseOutage database) {
    WagateConfig.Cluster c = config.cluster();
    this.enabled = c.enabled();
    this.vertx = vertx;
    this.database = database;
    Duration lease = c.lease();
    this.renewMillis = Math.max(50, c.renewInterval().orElse(lease.dividedBy(3)).toMillis());
    String id = c.memberId().filter(s -> !s.isBlank()).orElseGet(() -> HostName.get() + "/" + UUID.randomUUID());
    this.membership = new Membership(pool, id, c.advertisedUrl().filter(s -> !s.isBlank()).orElseGet(Ownership::httpUrl), lease);
    this.leases = new Leases(pool, id, lease);
  }

  /** Where this gateway's HTTP port is reached from the other members by default. */
  private static String httpUrl() {
    int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
    return "http://" + HostName.get() + ":" + port;
  }

  /**
   * Whether this member holds its share: its last lease pass finished less than a lease time ago (so its leases are
   * current) and took every free instance that hashing gives it. Always true with the cluster off.
   */
  public boolean holdsShare() {
    return !enabled || (!stopped && shareMissing == 0 && System.nanoTime() - lastPassNanos < leases.leaseMillis() * 1_000_000L);
  }

  /** Leases held now, for the readiness check's data. */
  public int heldCount() {
    return leases.held().size();
  }

  /** Registers the one listener (the service layer's session handling). */
  public void listen(OwnershipListener l) {
    this.listener = l;
  }

  public boolean enabled() {
    return enabled;
  }

  public String memberId() {
    return membership.id();
  }

  /** Whether this member may act on the instance's session now (always, with the cluster off). */
  public boolean owns(UUID id) {
    return !enabled || leases.holds(id);
  }

  /**
   * Those of {@code ids} whose events this member may record: owned now, or held with a lease that a renewal made
   * now still finds this member's. A lease pass running late leaves a lease untrusted for a moment without losing it,
   * and the state change its session reports then (a login's connected) must not be lost; a lease the renewal finds
   * lost is dropped at once. All of them with the cluster off.
   */
  public Uni<Set<UUID>> recordable(Set<UUID> ids) {
    if (!enabled) {
      return Uni.createFrom().item(ids);
    }
    Set<UUID> owned = ids.stream().filter(leases::holds).collect(Collectors.toCollection(java.util.HashSet::new));
    List<UUID> doubtful = ids.stream().filter(leases::doubtful).toList();
    if (doubtful.isEmpty()) {
      return Uni.createFrom().item(owned);
    }
    return leases.renewNow(doubtful).map(lost -> {
      dropLost(lost);
      doubtful.stream().filter(leases::holds).forEach(owned::add);
      return owned;
    });
  }

  /** The fencing epoch to send with a lifecycle command; 0 (unfenced) with the cluster off or without a lease. */
  public long epoch(UUID id) {
    return enabled ? leases.epoch(id) : 0;
  }

  /**
   * Makes sure this member owns the instance before a lifecycle command acts on it: yields the epoch to send (0 with
   * the cluster off), or -1 when another member holds its lease.
   */
  public Uni<Long> claim(UUID id) {
    if (!enabled) {
      return Uni.createFrom().item(0L);
    }
    if (leases.holds(id)) {
      return Uni.createFrom().item(leases.epoch(id));
    }
    if (leases.leaving(id)) {
      return Uni.createFrom().item(-1L);
    }
    return leases.take(List.of(id)).map(taken -> taken.getOrDefault(id, -1L));
  }

  void onStart(@Observes StartupEvent event) {
    if (enabled) {
      Log.infof("Cluster member %s at %s (lease %d ms, renewed every %d ms)", membership.id(), membership.address(), leases.leaseMillis(), renewMillis);
      timer = vertx.setPeriodic(1, renewMillis, id -> tick());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    if (enabled) {
      leave();
    }
  }

  /** Stops taking leases, ends every owned session, releases the leases so the others take them at once, deregisters. */
  void leave() {
    stopped = true;
    vertx.cancelTimer(timer);
    // graceful hand-over: the sessions end here first, then the leases are free for the others at once
    handOver(leases.held()).chain(membership::deregister)
        .onFailure().invoke(t -> Log.warnf("Cluster hand-over at shutdown incomplete: %s", t.getMessage()))
        .onFailure().recoverWithNull().await().atMost(Duration.ofMillis(SHUTDOWN_WAIT_MS));
  }

  void tick() {
    if (stopped || listener == null || !ticking.compareAndSet(false, true)) {
      // a pass still running (slow database): only the local expiry is checked, so a lost lease is never acted on
      dropUntrusted();
      return;
    }
    // The pass talks to the database only: the sessions of lost and handed-over instances end beside it. A pass that
    // waited for sidecar calls (hundreds of disconnects on a loaded machine) renewed nothing meanwhile, lost every
    // lease and looked dead to the others, who then moved everything around. It is bounded by a lease time too.
    leases.renew().invoke(this::dropLost)
        .chain(membership::heartbeat)
        .chain(membership::live)
        .chain(live -> leases.free().chain(free -> takeAndHandOver(live, free)))
        .ifNoItem().after(Duration.ofMillis(leases.leaseMillis())).fail()
        .subscribe().with(v -> {
          lastPassNanos = System.nanoTime();
          ticking.set(false);
        }, t -> {
          ticking.set(false);
          if (!database.failed("cluster lease renewal", t)) {
            Log.warnf("Cluster lease pass failed: %s", t.getMessage());
          }
          dropUntrusted();
        });
  }

  private Uni<Void> takeAndHandOver(List<String> live, Map<UUID, Boolean> free) {
    if (stopped) {
      return Uni.createFrom().voidItem();
    }
    String me = membership.id();
    // a lease expired for longer than a lease time has an owner by rendezvous that does not take it: anyone may
    Set<UUID> wanted = free.entrySet().stream().filter(e -> e.getValue() || me.equals(Rendezvous.owner(e.getKey(), live)))
        .map(Map.Entry::getKey).collect(Collectors.toSet());
    Set<UUID> away = live.contains(me) ? leases.held().stream().filter(id -> !me.equals(Rendezvous.owner(id, live))).collect(Collectors.toSet()) : Set.of();
    return leases.take(wanted).invoke(taken -> {
      shareMissing = wanted.size() - taken.size();
      if (!taken.isEmpty()) {
        listener.gained(taken.keySet());
      }
    }).chain(() -> away.isEmpty() ? Uni.createFrom().voidItem() : leases.settled(away).invoke(this::handOverBeside)).replaceWithVoid();
  }

  private void handOverBeside(Set<UUID> ids) {
    handOver(ids).subscribe().with(v -> { }, t -> Log.warnf("Cluster hand-over incomplete: %s", t.getMessage()));
  }

  /**
   * Ends the sessions first, then frees the leases, so the new owner never connects while this member still is; the
   * leases are renewed meanwhile. Instances already being handed over are left to that hand-over.
   */
  private Uni<Void> handOver(Set<UUID> ids) {
    Map<UUID, Long> epochs = leases.letGo(ids);
    if (epochs.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Log.infof("Handing %d instance(s) over to other members", epochs.size());
    return notify(epochs).chain(() -> leases.release(epochs.keySet()));
  }

  /** Leases lost are no longer acted on from this moment (Leases forgot them); their sessions end beside the pass. */
  private void dropLost(Map<UUID, Long> lost) {
    if (!lost.isEmpty()) {
      Log.warnf("Lost the lease of %d instance(s); disconnecting them", lost.size());
      notify(lost).subscribe().with(v -> { }, t -> Log.debugf("Dropping lost sessions failed: %s", t.getMessage()));
    }
  }

  private void dropUntrusted() {
    dropLost(leases.untrusted());
  }

  private Uni<Void> notify(Map<UUID, Long> epochs) {
    OwnershipListener l = listener;
    return l == null || epochs.isEmpty() ? Uni.createFrom().voidItem() : l.drop(epochs).onFailure().recoverWithNull();
  }
}
