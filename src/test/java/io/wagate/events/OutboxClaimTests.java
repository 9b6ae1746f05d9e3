package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The outbox claim against the real database, with this process's dispatcher idle so the rows are only ours. The rows
 * are due since 2000, so they come before anything other tests left pending, and each claim asks for exactly ours.
 */
@QuarkusTest
@TestProfile(OutboxClaimTests.IdleDispatcher.class)
class OutboxClaimTests {
  public static class IdleDispatcher implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("wagate.webhooks.concurrency", "0");
    }
  }

  static final long A = -7_001;
  static final long B = -7_002;

  @Inject
  OutboxRepository outbox;

  @Inject
  Pool pool;

  @AfterEach
  void clean() {
    pool.preparedQuery("DELETE FROM webhook_delivery WHERE webhook_id = ANY($1)").execute(Tuple.of((Object) new Long[] {A, B})).await().indefinitely();
  }

  @Test
  void aWebhookThisProcessIsStillSendingIsNotClaimedAgainWhenItsLeaseRanOut() {
    insert(A, 3);
    insert(B, 2);

    List<Delivery> first = outbox.claim("test/1", 1, 50, 60_000, new Long[] {A}).await().indefinitely();
    assertThat(first).extracting(Delivery::webhookId).containsOnly(B).hasSize(2);

    // both leases run out while the sender of B is still at work (a blocked event loop outlasting the lease)
    pool.query("UPDATE webhook_delivery SET leased_until = now() - interval '1 second' WHERE webhook_id IN (" + A + ", " + B + ")").execute()
        .await().indefinitely();
    List<Delivery> second = outbox.claim("test/1", 1, 50, 60_000, new Long[] {B}).await().indefinitely();
    assertThat(second).extracting(Delivery::webhookId).containsOnly(A).hasSize(3);
    assertThat(second).extracting(Delivery::id).isSorted();

    pool.query("UPDATE webhook_delivery SET leased_until = now() - interval '1 second' WHERE webhook_id IN (" + A + ", " + B + ")").execute()
        .await().indefinitely();
    List<Delivery> third = outbox.claim("test/1", 2, 50, 60_000, new Long[0]).await().indefinitely();
    assertThat(third).extracting(Delivery::webhookId).containsOnly(A, B).hasSize(5);
  }

  @Test
  void aLeaseThatHasNotRunOutIsNotClaimed() {
    insert(A, 2);
    assertThat(outbox.claim("test/1", 1, 50, 60_000, new Long[0]).await().indefinitely()).hasSize(2);
    assertThat(outbox.claim("test/2", 1, 50, 60_000, new Long[0]).await().indefinitely()).extracting(Delivery::webhookId).doesNotContain(A);
  }

  private void insert(long webhookId, int rows) {
    UUID instance = UUID.randomUUID();
    for (int i = 0; i < rows; i++) {
      pool.preparedQuery("INSERT INTO webhook_delivery (webhook_id, instance_id, event_id, url, next_attempt_at, created_at)"
          + " VALUES ($1, $2, 0, 'http://127.0.0.1:9/hook', '2000-01-01T00:00:00Z', now())").execute(Tuple.of(webhookId, instance)).await().indefinitely();
    }
  }
}
