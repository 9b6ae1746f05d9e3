package io.wagate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.client.SidecarClient;
import io.wagate.service.ClusterSessions;
import io.wagate.service.StreamPosition;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.EventLog;
import io.wagate.support.InjectEmulator;
import io.wagate.support.LifecycleSteps;

/**
 * The gateway with the cluster on, as the only member, against the real sidecar and emulator: pairing takes the lease,
 * a lease taken by another member makes it disconnect the instance at once without recording what its sidecar says
 * about it afterwards, a lease that runs out is taken back with the next epoch and the session restored, and leaving
 * ends the session and frees the lease for another member at once.
 */
@QuarkusTest
@TestProfile(ClusterTests.ClusterOn.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the last test leaves the cluster for good
class ClusterTests {
  public static class ClusterOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("wagate.cluster.enabled", "true", "wagate.cluster.lease", "3s", "wagate.reconcile.interval", "1h");
    }
  }

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Inject
  Pool pool;

  @Inject
  Ownership ownership;

  @Inject
  SidecarClient sidecar;

  @Inject
  StreamPosition position;

  @Inject
  EventLog events;

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  ClusterSessions sessions;

  @Test
  @Order(1)
  void aHandOverWhoseDisconnectHangsNeitherStallsTheLeasePassNorLetsItsLeaseExpire() {
    String account = Api.newAccount(5, 100_000);
    String name = Api.unique("handover");
    Api.newInstance(account, name);
    UUID id = row("SELECT id FROM instance WHERE name = $1", name).getUUID(0);
    // a connected instance this member holds, which rendezvous then gives to another live member
    pool.preparedQuery("UPDATE instance SET state = 'connected' WHERE id = $1").execute(Tuple.of(id)).await().atMost(TIMEOUT);
    assertThat(ownership.claim(id).await().atMost(TIMEOUT)).isPositive();
    String other = "other-" + UUID.randomUUID();
    for (int n = 0; !other.equals(Rendezvous.owner(id, java.util.List.of(ownership.memberId(), other))); n++) {
      other = "other-" + n + "-" + UUID.randomUUID();
    }
    CompletableFuture<Void> disconnects = new CompletableFuture<>();
    AtomicInteger dropped = new AtomicInteger();
    ownership.listen(new OwnershipListener() {
      @Override
      public Uni<Void> drop(Map<UUID, Long> epochs) {
        if (epochs.containsKey(id)) {
          dropped.incrementAndGet();
        }
        return Uni.createFrom().completionStage(disconnects); // the sidecar does not answer
      }

      @Override
      public void gained(Set<UUID> ids) {
      }
    });
    try {
      pool.preparedQuery("INSERT INTO member (id, address, heartbeat_at) VALUES ($1, 'http://127.0.0.1:9', now() + interval '1 hour')")
          .execute(Tuple.of(other)).await().atMost(TIMEOUT);
      Api.await("the hand-over to start", TIMEOUT, () -> dropped.get() > 0);
      assertThat(ownership.owns(id)).isFalse();
      // two lease times later the disconnect still hangs: the lease must have been renewed all along (the pass did not
      // wait for it), or the other member could take it while this member's session is up
      String expiry = "SELECT extract(epoch FROM expires_at)::float8, expires_at > now() FROM instance_lease WHERE instance_id = $1";
      double first = row(expiry, id).getDouble(0);
      Api.await("the lease of the instance being handed over to be renewed", TIMEOUT, () -> row(expiry, id).getDouble(0) > first + 5);
      assertThat(row(expiry, id).getBoolean(1)).isTrue();
      assertThat(ownership.holdsShare()).as("the pass keeps running").isTrue();
      assertThat(dropped.get()).as("one hand-over of it, not one per pass").isEqualTo(1);

      disconnects.complete(null);
      Api.await("the lease to be released once the session ended", TIMEOUT,
          () -> !row("SELECT expires_at > now() FROM instance_lease WHERE instance_id = $1", id).getBoolean(0));
    } finally {
      disconnects.complete(null);
      ownership.listen(sessions);
      pool.preparedQuery("DELETE FROM member WHERE id = $1").execute(Tuple.of(other)).await().atMost(TIMEOUT);
      pool.preparedQuery("UPDATE instance SET desired_state = 'stopped', state = 'disconnected' WHERE id = $1").execute(Tuple.of(id)).await().atMost(TIMEOUT);
    }
  }

  @Test
  @Order(2)
  void aLostLeaseDisconnectsAtOnceRecordsNothingAnExpiredOneIsTakenBackAndLeavingHandsOver() {
    String account = Api.newAccount(5, 100_000);
    String name = Api.unique("cluster");
    Api.newInstance(account, name);
    LifecycleSteps.pair(emulator, account, name);
    UUID id = row("SELECT id FROM instance WHERE name = $1", name).getUUID(0);

    Row lease = row("SELECT owner, epoch, expires_at > now() FROM instance_lease WHERE instance_id = $1", id);
    assertThat(lease.getString(0)).isEqualTo(ownership.memberId());
    long epoch = lease.getLong(1);
    assertThat(epoch).isPositive();
    assertThat(lease.getBoolean(2)).isTrue();
    assertThat(row("SELECT count(*) FROM member WHERE id = $1 AND heartbeat_at > now() - interval '3 seconds'", ownership.memberId()).getLong(0)).isOne();
    Api.await("readiness to say this member holds its share", TIMEOUT, () -> "UP".equals(clusterCheck().getString("status")));
    assertThat(clusterCheck().getInt("data.leases")).isPositive();

    // another member takes the instance over (as after this one froze): the session here must end, unrecorded
    long marker = events.maxId();
    pool.preparedQuery("UPDATE instance_lease SET owner = 'another-member', epoch = epoch + 1, expires_at = now() + interval '1 hour' WHERE instance_id = $1")
        .execute(Tuple.of(id)).await().atMost(TIMEOUT);
    Api.await("the stolen instance to be disconnected in this sidecar", TIMEOUT, () -> {
      SidecarClient.Sessions s = sidecar.listSessions().await().atMost(TIMEOUT);
      return !Boolean.TRUE.equals(s.live().get(id)) && position.storedThrough(s.bootId(), s.lastSeq());
    });
    assertThat(ownership.owns(id)).isFalse();
    assertThat(events.of(name, account)).filteredOn(r -> r.id() > marker).isEmpty();
    assertThat(Api.state(account, name)).isEqualTo("connected");
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(500)
        .body("success", org.hamcrest.Matchers.is(false))
        .body("error.message", org.hamcrest.Matchers.is("Failed to reconnect: instance is owned by another gateway"));

    // the other member is gone and its lease runs out: taken back with the next epoch, and the session restored
    pool.preparedQuery("UPDATE instance_lease SET expires_at = now() - interval '1 second' WHERE instance_id = $1").execute(Tuple.of(id))
        .await().atMost(TIMEOUT);
    Api.await("the lease to be taken back", TIMEOUT, () -> ownership.owns(id));
    assertThat(row("SELECT owner, epoch FROM instance_lease WHERE instance_id = $1", id).getLong(1)).isEqualTo(epoch + 2);
    Api.await("the session to be restored here", TIMEOUT,
        () -> Boolean.TRUE.equals(sidecar.listSessions().await().atMost(TIMEOUT).live().get(id)));
    Api.awaitState(account, name, "connected", TIMEOUT);

    // leaving (as at SIGTERM): the session ends here, and another member can take the lease at once, not at expiry
    ownership.leave();
    assertThat(clusterCheck().getString("status")).isEqualTo("DOWN");
    assertThat(sidecar.listSessions().await().atMost(TIMEOUT).live().get(id)).isNotEqualTo(Boolean.TRUE);
    assertThat(row("SELECT count(*) FROM member WHERE id = $1", ownership.memberId()).getLong(0)).isZero();
    Leases next = new Leases(pool, "next-member", Duration.ofSeconds(30));
    assertThat(next.take(java.util.List.of(id)).await().atMost(TIMEOUT)).containsEntry(id, epoch + 3);
  }

  /** The cluster entry of the readiness answer (whatever the other checks say). */
  private static io.restassured.path.json.JsonPath clusterCheck() {
    return Api.ops().get("/q/health/ready").jsonPath().setRootPath("checks.find { it.name == 'cluster' }");
  }

  private Row row(String sql, Object arg) {
    return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(TIMEOUT).iterator().next();
  }
}
