package io.wagate.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/** The one predicate for "the database is down": every way PostgreSQL goes away, and nothing that is a real error. */
class DatabaseOutageTests {

  @Test
  void everyWayPostgresGoesAwayIsDown() {
    assertThat(DatabaseOutage.isDown(new ConnectException("Connection refused: /127.0.0.1:5432"))).isTrue();
    assertThat(DatabaseOutage.isDown(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(DatabaseOutage.isDown(new IOException("Connection reset by peer"))).isTrue();
    assertThat(DatabaseOutage.isDown(new PgException("terminating connection due to administrator command", "FATAL", "57P01", null))).isTrue();
    assertThat(DatabaseOutage.isDown(new PgException("the database system is starting up", "FATAL", "57P03", null))).isTrue();
    assertThat(DatabaseOutage.isDown(new PgException("the database system is shutting down", "FATAL", "57P03", null))).isTrue();
    assertThat(DatabaseOutage.isDown(new PgException("connection failure", "FATAL", "08006", null))).isTrue();
    // the pool could not hand out a connection in time
    assertThat(DatabaseOutage.isDown(new NoStackTraceThrowable("Timeout"))).isTrue();
    // a pooled connection closed under a query (the Vert.x SQL client's own messages)
    assertThat(DatabaseOutage.isDown(new VertxException("Pending requests failed to be sent due to connection has been closed."))).isTrue();
    assertThat(DatabaseOutage.isDown(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"))).isTrue();
    assertThat(DatabaseOutage.isDown(new ClosedChannelException())).isTrue();
    // wrapped, as Mutiny and the REST layer hand them over
    assertThat(DatabaseOutage.isDown(new CompletionException(new RuntimeException(new ConnectException("refused"))))).isTrue();
  }

  @Test
  void realErrorsAreNotAnOutage() {
    assertThat(DatabaseOutage.isDown(new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null))).isFalse();
    assertThat(DatabaseOutage.isDown(new PgException("syntax error", "ERROR", "42601", null))).isFalse();
    assertThat(DatabaseOutage.isDown(new IllegalStateException("boom"))).isFalse();
    assertThat(DatabaseOutage.isDown(new RuntimeException("Timeout"))).isFalse();
    assertThat(DatabaseOutage.isDown(null)).isFalse();
  }
}
