package io.wagate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Two members' leases contending for the same instances in the real database. The instances are stopped, so the
 * application under test (whose cluster is off) never touches them.
 */
@QuarkusTest
class LeasesTests {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final Duration WAIT = Duration.ofSeconds(20);

  @Inject
  Pool pool;

  UUID account;
  List<UUID> ids;
  Leases a;
  Leases b;

  @BeforeEach
  void instances() {
    account = UUID.randomUUID();
    done(pool.preparedQuery("INSERT INTO account (id, name, token_hash, instance_quota, rate_limit_per_minute) VALUES ($1, $2, $3, 10, 100)")
        .execute(Tuple.of(account, "lease-" + account, "lease-" + account)));
    ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    for (UUID id : ids) {
      done(pool.preparedQuery("INSERT INTO instance (id, account_id, name, token_hash, token_enc) VALUES ($1, $2, $3, $4, 'x')")
          .execute(Tuple.of(id, account, "i-" + id, "lease-" + id)));
    }
    a = new Leases(pool, "member-a/" + account, LEASE);
    b = new Leases(pool, "member-b/" + account, LEASE);
  }

  @AfterEach
  void clean() {
    done(pool.preparedQuery("DELETE FROM account WHERE id = $1").execute(Tuple.of(account)));
  }

  @Test
  void twoMembersTakingTheSameInstancesAtOnceGetOneOwnerEach() {
    List<Map<UUID, Long>> both = Uni.join().all(a.take(ids), b.take(ids)).andFailFast().await().atMost(WAIT);
    Set<UUID> all = new HashSet<>(both.get(0).keySet());
    all.addAll(both.get(1).keySet());
    assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(both.get(0).size() + both.get(1).size()).isEqualTo(ids.size());
    assertThat(ids).allSatisfy(id -> assertThat(a.holds(id) ^ b.holds(id)).isTrue());
    assertThat(both.get(0).values()).allSatisfy(epoch -> assertThat(epoch).isOne());
    assertThat(both.get(1).values()).allSatisfy(epoch -> assertThat(epoch).isOne());
  }

  @Test
  void aLeaseIsNotTakenBeforeItExpiresAndRenewingKeepsIt() {
    assertThat(a.take(ids).await().atMost(WAIT)).hasSize(3);
    assertThat(b.take(ids).await().atMost(WAIT)).isEmpty();
    assertThat(a.renew().await().atMost(WAIT)).isEmpty();
    assertThat(b.take(ids).await().atMost(WAIT)).isEmpty();
    assertThat(ids).allSatisfy(id -> assertThat(a.holds(id)).isTrue()).noneSatisfy(id -> assertThat(b.holds(id)).isTrue());
  }

  @Test
  void anExpiredLeaseIsTakenWithTheNextEpochAndItsOldOwnerFindsItLost() {
    UUID id = ids.get(0);
    assertThat(a.take(List.of(id)).await().atMost(WAIT)).containsEntry(id, 1L);
    expire(id);
    assertThat(b.take(List.of(id)).await().atMost(WAIT)).containsEntry(id, 2L);
    assertThat(a.renew().await().atMost(WAIT)).containsExactly(Map.entry(id, 1L));
    assertThat(a.holds(id)).isFalse();
    assertThat(a.epoch(id)).isZero();
    assertThat(b.epoch(id)).isEqualTo(2L);
  }

  @Test
  void aReleasedLeaseIsTakenAtOnceAndTheEpochNeverGoesBack() {
    UUID id = ids.get(1);
    a.take(List.of(id)).await().atMost(WAIT);
    a.release(List.of(id)).await().atMost(WAIT);
    assertThat(a.holds(id)).isFalse();
    assertThat(b.take(List.of(id)).await().atMost(WAIT)).containsEntry(id, 2L);
    b.release(List.of(id)).await().atMost(WAIT);
    assertThat(a.take(List.of(id)).await().atMost(WAIT)).containsEntry(id, 3L);
  }

  @Test
  void retakingOnesOwnLeaseKeepsItsEpoch() {
    UUID id = ids.get(2);
    a.take(List.of(id)).await().atMost(WAIT);
    expire(id);
    assertThat(a.take(List.of(id)).await().atMost(WAIT)).containsEntry(id, 1L);
  }

  @Test
  void aLeaseIsNoLongerTrustedLocallyBeforeItsRowExpires() {
    Leases quick = new Leases(pool, "member-q/" + account, Duration.ofMillis(300));
    UUID id = ids.get(0);
    quick.take(List.of(id)).await().atMost(WAIT);
    // no renewal: the process acts as if it had been frozen
    await().atMost(WAIT).until(() -> !quick.holds(id));
    assertThat(quick.untrusted()).containsExactly(Map.entry(id, 1L));
    assertThat(quick.held()).isEmpty();
  }

  @Test
  void anUntrustedLeaseThatIsStillOursIsConfirmedByARenewalNow() {
    Leases late = new Leases(pool, "member-l/" + account, LEASE, Duration.ofMillis(50));
    UUID id = ids.get(0);
    late.take(List.of(id)).await().atMost(WAIT);
    // the lease pass is late: not trusted here, but nobody else may have taken the row yet
    await().atMost(WAIT).until(() -> late.doubtful(id));
    assertThat(late.holds(id)).isFalse();
    assertThat(late.renewNow(List.of(id)).await().atMost(WAIT)).isEmpty();
    assertThat(late.holds(id)).isTrue();
    assertThat(late.epoch(id)).isOne();
  }

  @Test
  void anUntrustedLeaseThatAnotherTookIsFoundLostByARenewalNow() {
    Leases late = new Leases(pool, "member-l/" + account, LEASE, Duration.ofMillis(50));
    UUID id = ids.get(1);
    late.take(List.of(id)).await().atMost(WAIT);
    expire(id);
    assertThat(b.take(List.of(id)).await().atMost(WAIT)).containsEntry(id, 2L);
    await().atMost(WAIT).until(() -> late.doubtful(id));
    assertThat(late.renewNow(List.of(id)).await().atMost(WAIT)).containsExactly(Map.entry(id, 1L));
    assertThat(late.holds(id)).isFalse();
    assertThat(late.doubtful(id)).isFalse();
    assertThat(late.held()).isEmpty();
  }

  @Test
  void aLeaseBeingHandedOverIsNotActedOnButStaysRenewedUntilReleased() {
    UUID id = ids.get(2);
    a.take(List.of(id)).await().atMost(WAIT);
    assertThat(a.letGo(List.of(id))).containsExactly(Map.entry(id, 1L));
    assertThat(a.letGo(List.of(id))).as("a second hand-over of the same lease").isEmpty();
    assertThat(a.holds(id)).isFalse();
    assertThat(a.leaving(id)).isTrue();
    assertThat(a.held()).doesNotContain(id);
    // close to expiry while its session is still being ended: the renewal keeps it from the others
    done(pool.preparedQuery("UPDATE instance_lease SET expires_at = now() + interval '1 second' WHERE instance_id = $1").execute(Tuple.of(id)));
    assertThat(a.renew().await().atMost(WAIT)).isEmpty();
    assertThat(done(pool.preparedQuery("SELECT expires_at > now() + interval '20 seconds' FROM instance_lease WHERE instance_id = $1").execute(Tuple.of(id)))
        .iterator().next().getBoolean(0)).isTrue();
    assertThat(b.take(List.of(id)).await().atMost(WAIT)).isEmpty();
    a.release(List.of(id)).await().atMost(WAIT);
    assertThat(a.leaving(id)).isFalse();
    assertThat(b.take(List.of(id)).await().atMost(WAIT)).containsEntry(id, 2L);
  }

  @Test
  void onlyInstancesThatShouldRunAndHaveNoLiveLeaseAreFree() {
    UUID running = ids.get(0);
    done(pool.preparedQuery("UPDATE instance SET desired_state = 'running', jid = '491700000000@s.whatsapp.net' WHERE id = $1").execute(Tuple.of(running)));
    assertThat(a.free().await().atMost(WAIT)).containsKey(running).doesNotContainKeys(ids.get(1), ids.get(2));
    a.take(List.of(running)).await().atMost(WAIT);
    assertThat(a.free().await().atMost(WAIT)).doesNotContainKey(running);
    expire(running);
    assertThat(a.free().await().atMost(WAIT)).containsKey(running);
  }

  private void expire(UUID id) {
    done(pool.preparedQuery("UPDATE instance_lease SET expires_at = now() - interval '1 second' WHERE instance_id = $1").execute(Tuple.of(id)));
  }

  private static <T> T done(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}
