package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The retention job removes old events and finished deliveries, never an event a pending delivery still needs. */
@QuarkusTest
class RetentionTests {
  @Inject
  Retention retention;

  @Inject
  Pool pool;

  @Test
  void oldEventsGoUnlessADeliveryStillNeedsThem() {
    UUID instance = UUID.randomUUID();
    long old = insert(instance, 8);
    long oldButPending = insert(instance, 9);
    long recent = insert(instance, 1);
    exec("INSERT INTO webhook_delivery (webhook_id, instance_id, event_id, url, status, next_attempt_at) VALUES (-1, $1, $2, 'http://127.0.0.1:9/x', 'pending',"
        + " now() + interval '1 day')", Tuple.of(instance, oldButPending));
    exec("INSERT INTO webhook_delivery (webhook_id, instance_id, event_id, url, status, finished_at) VALUES (-2, $1, $2, 'http://127.0.0.1:9/x', 'delivered',"
        + " now() - interval '8 days')", Tuple.of(instance, old));

    assertThat(retention.prune().await().atMost(Duration.ofSeconds(30))).isGreaterThanOrEqualTo(2);

    assertThat(count("SELECT count(*) FROM instance_event WHERE id = $1", old)).isZero();
    assertThat(count("SELECT count(*) FROM instance_event WHERE id = $1", oldButPending)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM instance_event WHERE id = $1", recent)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM webhook_delivery WHERE event_id = $1", old)).isZero();
    assertThat(count("SELECT count(*) FROM webhook_delivery WHERE event_id = $1", oldButPending)).isEqualTo(1);
    exec("DELETE FROM webhook_delivery WHERE instance_id = $1", Tuple.of(instance));
  }

  private long insert(UUID instance, int ageDays) {
    return pool.preparedQuery("INSERT INTO instance_event (instance_id, account_id, instance_name, state, data, created_at)"
        + " VALUES ($1, $1, 'retention', 'connected', $2, now() - make_interval(days => $3)) RETURNING id").execute(Tuple.of(instance, new JsonObject(), ageDays))
        .map(r -> r.iterator().next().getLong(0)).await().atMost(Duration.ofSeconds(10));
  }

  private long count(String sql, long id) {
    return pool.preparedQuery(sql).execute(Tuple.of(id)).map(r -> r.iterator().next().getLong(0)).await().atMost(Duration.ofSeconds(10));
  }

  private void exec(String sql, Tuple args) {
    pool.preparedQuery(sql).execute(args).await().atMost(Duration.ofSeconds(10));
  }
}
