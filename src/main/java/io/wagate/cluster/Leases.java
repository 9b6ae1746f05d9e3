package io.wagate.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code instance_lease} rows of one member, and what it believes it holds. A lease is taken only when free,
 * expired or already this member's (one statement per batch); its epoch grows by one whenever the owner changes.
 *
 * <p>The local belief ends before the row can: a lease counts as held only until four fifths of its time after the
 * request that last took or renewed it was sent (the row's expiry is counted from later, when PostgreSQL ran it). So a
 * process that was frozen, or cut off from the database, finds its leases gone on waking before anybody else could
 * have taken them, and drops those sessions.
 */
public final class Leases {
  private static final int BATCH = 1_000;

  /** A lease this member holds: its fencing epoch and until when (System.nanoTime) it may act on it. */
  public record Held(long epoch, long untilNanos) {
  }

  private final Pool pool;
  private final String owner;
  private final long leaseMillis;
  private final long trustNanos;
  private final Map<UUID, Held> held = new ConcurrentHashMap<>();
  // being handed over: no longer acted on, but still renewed until released, so that a slow disconnect can never let
  // the lease expire (and the next owner connect) while this member's session is still up
  private final Set<UUID> leaving = ConcurrentHashMap.newKeySet();

  public Leases(Pool pool, String owner, Duration lease) {
    this(pool, owner, lease, lease.multipliedBy(4).dividedBy(5));
  }

  /** With a local trust other than four fifths of the lease: tests make a lease untrusted long before its row expires. */
  Leases(Pool pool, String owner, Duration lease, Duration trust) {
    this.pool = pool;
    this.owner = owner;
    this.leaseMillis = lease.toMillis();
    this.trustNanos = trust.toNanos();
  }

  /** Whether this member may act on the instance now. */
  public boolean holds(UUID id) {
    Held h = held.get(id);
    return h != null && !leaving.contains(id) && h.untilNanos() - System.nanoTime() > 0;
  }

  /** Whether the lease is held but being handed over (no command may start on the instance here). */
  public boolean leaving(UUID id) {
    return leaving.contains(id);
  }

  /** The fencing epoch of a held lease, 0 when not held. */
  public long epoch(UUID id) {
    Held h = held.get(id);
    return h == null ? 0 : h.epoch();
  }

  public long leaseMillis() {
    return leaseMillis;
  }

  /** The leases held and not being handed over. */
  public Set<UUID> held() {
    return held.keySet().stream().filter(id -> !leaving.contains(id)).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** Takes those of {@code ids} that are free, expired or already ours; yields the ones taken with their epochs. */
  public Uni<Map<UUID, Long>> take(Collection<UUID> ids) {
    return batches(List.copyOf(ids), batch -> {
      long sent = System.nanoTime();
      return pool.preparedQuery("INSERT INTO instance_lease AS l (instance_id, owner, epoch, expires_at)"
          + " SELECT i.id, $1, 1, now() + $3 * interval '1 millisecond' FROM instance i WHERE i.id = ANY($2)"
          + " ON CONFLICT (instance_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,"
          + " epoch = CASE WHEN l.owner = excluded.owner THEN l.epoch ELSE l.epoch + 1 END"
          + " WHERE l.owner = excluded.owner OR l.expires_at <= now() RETURNING l.instance_id, l.epoch")
          .execute(Tuple.of(owner, batch.toArray(UUID[]::new), leaseMillis)).map(rows -> remember(rows, sent, true));
    }).map(list -> {
      Map<UUID, Long> out = new HashMap<>();
      list.forEach(out::putAll);
      return out;
    });
  }

  /**
   * Renews every lease held, in batches; yields the ones lost (taken by another, expired, gone with their instance, or
   * no longer trusted locally) with the epoch last held, which are forgotten here. A failed renewal loses nothing by
   * itself, but time does.
   */
  public Uni<Map<UUID, Long>> renew() {
    return renewing(Map.copyOf(held)).onFailure().recoverWithItem(Map.of()).map(lostHere -> {
      Map<UUID, Long> lost = new HashMap<>(untrusted());
      lost.putAll(lostHere);
      return lost;
    });
  }

  /** Whether the lease is held, not being handed over, and no longer trusted locally: a renewal now settles it. */
  public boolean doubtful(UUID id) {
    Held h = held.get(id);
    return h != null && !leaving.contains(id) && h.untilNanos() - System.nanoTime() <= 0;
  }

  /** Renews these leases at once (failing with the database); yields those lost, forgotten here like in renew. */
  public Uni<Map<UUID, Long>> renewNow(Collection<UUID> ids) {
    Map<UUID, Held> before = new HashMap<>();
    ids.forEach(id -> {
      Held h = held.get(id);
      if (h != null) {
        before.put(id, h);
      }
    });
    return renewing(before);
  }

  private Uni<Map<UUID, Long>> renewing(Map<UUID, Held> before) {
    return batches(List.copyOf(before.keySet()), batch -> {
      long sent = System.nanoTime();
      return pool.preparedQuery("UPDATE instance_lease SET expires_at = now() + $3 * interval '1 millisecond'"
          + " WHERE owner = $1 AND instance_id = ANY($2) AND expires_at > now() RETURNING instance_id, epoch")
          .execute(Tuple.of(owner, batch.toArray(UUID[]::new), leaseMillis)).map(rows -> {
            Map<UUID, Long> renewed = remember(rows, sent, false);
            Map<UUID, Long> lost = new HashMap<>();
            batch.stream().filter(id -> !renewed.containsKey(id) && held.remove(id, before.get(id))).forEach(id -> {
              leaving.remove(id);
              lost.put(id, before.get(id).epoch());
            });
            return lost;
          });
    }).map(maps -> {
      Map<UUID, Long> lost = new HashMap<>();
      maps.forEach(lost::putAll);
      return lost;
    });
  }

  /** Leases whose local time ran out (a renewal failed or came too late): forgotten, and yielded with their epochs. */
  public Map<UUID, Long> untrusted() {
    long now = System.nanoTime();
    Map<UUID, Long> out = new HashMap<>();
    held.forEach((id, h) -> {
      if (h.untilNanos() - now <= 0 && held.remove(id, h)) {
        leaving.remove(id);
        out.put(id, h.epoch());
      }
    });
    return out;
  }

  /**
   * Stops acting on these instances at once, before their sessions are ended and the leases released; they are still
   * renewed until then. Yields the epochs of those held and not already leaving.
   */
  public Map<UUID, Long> letGo(Collection<UUID> ids) {
    Map<UUID, Long> out = new HashMap<>();
    ids.forEach(id -> {
      Held h = held.get(id);
      if (h != null && leaving.add(id)) {
        out.put(id, h.epoch());
      }
    });
    return out;
  }

  /** Gives the leases up at once (they stay in the table, expired, so the epoch never goes back). */
  public Uni<Void> release(Collection<UUID> ids) {
    List<UUID> list = List.copyOf(ids);
    list.forEach(id -> {
      held.remove(id);
      leaving.remove(id);
    });
    return batches(list, batch -> pool.preparedQuery("UPDATE instance_lease SET expires_at = now() WHERE owner = $1 AND instance_id = ANY($2)")
        .execute(Tuple.of(owner, batch.toArray(UUID[]::new))).replaceWith(0)).replaceWithVoid();
  }

  /**
   * Instances that should run (desired running, with a saved session's JID) and whose lease is free or expired; with
   * each, whether it has been expired for longer than a lease time (its rendezvous owner is not taking it).
   */
  public Uni<Map<UUID, Boolean>> free() {
    return pool.preparedQuery("SELECT i.id, l.expires_at < now() - $1 * interval '1 millisecond' FROM instance i"
        + " LEFT JOIN instance_lease l ON l.instance_id = i.id"
        + " WHERE i.desired_state = 'running' AND i.jid IS NOT NULL AND (l.instance_id IS NULL OR l.expires_at <= now())")
        .execute(Tuple.of(leaseMillis)).map(rows -> {
          Map<UUID, Boolean> out = new HashMap<>();
          for (Row r : rows) {
            out.put(r.getUUID(0), Boolean.TRUE.equals(r.getBoolean(1)));
          }
          return out;
        });
  }

  /**
   * Those of {@code ids} whose sessions are settled (connected), the only ones worth moving to another member: one
   * still connecting may be in the middle of a pairing, which a move would break.
   */
  public Uni<Set<UUID>> settled(Collection<UUID> ids) {
    return pool.preparedQuery("SELECT id FROM instance WHERE id = ANY($1) AND state = 'connected'").execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(rows -> {
          Set<UUID> out = new java.util.HashSet<>();
          for (Row r : rows) {
            out.add(r.getUUID(0));
          }
          return out;
        });
  }

  /** A renewal only extends what is still held: a lease released while its renewal was on the way stays released. */
  private Map<UUID, Long> remember(RowSet<Row> rows, long sentNanos, boolean taken) {
    Map<UUID, Long> out = new HashMap<>();
    for (Row r : rows) {
      Held h = new Held(r.getLong(1), sentNanos + trustNanos);
      out.put(r.getUUID(0), r.getLong(1));
      if (taken) {
        held.put(r.getUUID(0), h);
      } else {
        held.computeIfPresent(r.getUUID(0), (id, old) -> h);
      }
    }
    return out;
  }

  private static <T> Uni<List<T>> batches(List<UUID> ids, java.util.function.Function<List<UUID>, Uni<T>> each) {
    if (ids.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<List<UUID>> chunks = IntStream.range(0, (ids.size() + BATCH - 1) / BATCH).mapToObj(n -> ids.subList(n * BATCH, Math.min(ids.size(), (n + 1) * BATCH))).toList();
    return Multi.createFrom().iterable(chunks).onItem().<T>transformToUniAndConcatenate(each::apply).collect().asList();
  }
}
