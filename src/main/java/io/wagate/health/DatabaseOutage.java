package io.wagate.health;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The one answer to "is PostgreSQL down?", and the one place that says so in the log: the first failure of an outage
 * is logged (one line, no stack trace), the following ones are only counted, and when a probe succeeds again the end of
 * the outage is logged with the count. Callers answer 503 {@code Service temporarily unavailable: database}.
 */
@ApplicationScoped
public class DatabaseOutage {
  /** The answer's message (docs/API.md, status codes: 503). */
  public static final String MESSAGE = "Service temporarily unavailable: database";
  /** admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down), too_many_connections. */
  private static final Set<String> DOWN_STATES = Set.of("57P01", "57P02", "57P03", "53300");
  /** The pool's messages when no connection could be had in time (Vert.x SQL client 4.5). */
  private static final Set<String> POOL_TIMEOUTS = Set.of("Timeout", "Timeout waiting for connection");

  private final Pool pool;
  private final AtomicLong failures = new AtomicLong();

  public DatabaseOutage(Pool pool) {
    this.pool = pool;
  }

  /** True when {@code e}, or one of its causes, means the database cannot be reached or will not serve now. */
  public static boolean isDown(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof ClosedConnectionException || t instanceof ClosedChannelException) {
        return true;
      }
      if (t instanceof DatabaseException db && db.getSqlState() != null
          && (DOWN_STATES.contains(db.getSqlState()) || db.getSqlState().startsWith("08"))) {
        // class 08: connection exception
        return true;
      }
      if (closedOrRefused(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean closedOrRefused(Throwable t) {
    String message = t.getMessage();
    if (message == null) {
      return false;
    }
    boolean fromClient = t.getClass().getName().startsWith("io.vertx.") || t instanceof IOException;
    return message.contains("Connection refused") || (fromClient && (POOL_TIMEOUTS.contains(message) || message.contains("Connection reset")
        || message.contains("Broken pipe") || message.contains("connection has been closed") || message.startsWith("Connection is not active")));
  }

  /**
   * Counts {@code e} when it means the database is down, logging only the first failure of an outage; returns whether it
   * did, so that the caller knows to answer 503 and to log nothing itself.
   */
  public boolean failed(String operation, Throwable e) {
    if (!isDown(e)) {
      return false;
    }
    if (failures.getAndIncrement() == 0) {
      Log.warnf("Database unavailable (%s: %s); failures are counted until it is back", operation, rootMessage(e));
    }
    return true;
  }

  /** How many failures the current outage has seen (0 when none is going on). */
  public long failures() {
    return failures.get();
  }

  @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> probe() {
    if (failures.get() == 0) {
      return Uni.createFrom().voidItem();
    }
    return pool.query("SELECT 1").execute().ifNoItem().after(Duration.ofSeconds(3)).fail()
        .invoke(() -> Log.infof("Database available again; %d operation(s) failed while it was down", failures.getAndSet(0)))
        .replaceWithVoid().onFailure().recoverWithNull();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
