package io.wagate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Members in the real database: live while their heartbeat is younger than the lease time, gone once deregistered. */
@QuarkusTest
class MembershipTests {
  static final Duration WAIT = Duration.ofSeconds(20);

  @Inject
  Pool pool;

  @Test
  void aMemberIsLiveFromItsHeartbeatUntilItDeregistersOrItsHeartbeatIsOld() {
    String tag = UUID.randomUUID().toString();
    Membership a = new Membership(pool, "a/" + tag, "http://127.0.0.1:1", Duration.ofSeconds(5));
    Membership b = new Membership(pool, "b/" + tag, "http://127.0.0.1:2", Duration.ofSeconds(5));
    a.heartbeat().await().atMost(WAIT);
    b.heartbeat().await().atMost(WAIT);
    assertThat(a.live().await().atMost(WAIT)).contains(a.id(), b.id());
    assertThat(pool.preparedQuery("SELECT address FROM member WHERE id = $1").execute(Tuple.of(b.id())).await().atMost(WAIT).iterator().next().getString(0))
        .isEqualTo("http://127.0.0.1:2");

    pool.preparedQuery("UPDATE member SET heartbeat_at = now() - interval '6 seconds' WHERE id = $1").execute(Tuple.of(b.id())).await().atMost(WAIT);
    assertThat(a.live().await().atMost(WAIT)).contains(a.id()).doesNotContain(b.id());
    b.heartbeat().await().atMost(WAIT);
    assertThat(a.live().await().atMost(WAIT)).contains(b.id());

    b.deregister().await().atMost(WAIT);
    assertThat(a.live().await().atMost(WAIT)).contains(a.id()).doesNotContain(b.id());
    a.deregister().await().atMost(WAIT);
  }
}
