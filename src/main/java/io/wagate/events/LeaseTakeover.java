package io.wagate.events;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.vertx.mutiny.core.Vertx;
import io.wagate.config.HostName;
import io.wagate.config.WagateConfig;
import io.wagate.health.DatabaseOutage;

/**
 * Who owns webhook leases in this process ({@code <replica>/<random>}), and the start-up takeover of the leases an
 * earlier process of the same replica left behind when it was killed: they are made claimable at once instead of
 * running out. The replica's advisory lock, held on one pooled connection for the life of the process, keeps a process
 * of the same name that is still alive from being robbed (see {@link OutboxRepository#takeOver}).
 */
@ApplicationScoped
public class LeaseTakeover {
  private static final long RETRY_MS = 5_000;

  private final OutboxRepository outbox;
  private final Vertx vertx;
  private final DatabaseOutage database;
  private final String replica;
  private final String owner;

  public LeaseTakeover(OutboxRepository outbox, Vertx vertx, DatabaseOutage database, WagateConfig config) {
    this.outbox = outbox;
    this.vertx = vertx;
    this.database = database;
    this.replica = config.webhooks().replica().filter(r -> !r.isBlank()).orElseGet(HostName::get);
    this.owner = replica + "/" + UUID.randomUUID();
  }

  /** The lease owner of this process. */
  public String owner() {
    return owner;
  }

  /** Takes the leases over (retrying while the database is away), then runs {@code then}, also when it failed. */
  public void run(Runnable then) {
    outbox.dedicatedConnection().chain(conn -> outbox.takeOver(conn, replica, owner).invoke(released -> {
      if (released < 0) {
        Log.warnf("Another live gateway uses the replica name %s; leases of earlier processes are left to run out", replica);
        conn.closeAndForget();
      } else if (released > 0) {
        Log.infof("Resuming %d webhook delivery row(s) leased by an earlier process of replica %s", released, replica);
      }
    }).onFailure().invoke(conn::closeAndForget)).subscribe().with(released -> then.run(), failure -> {
      if (!database.failed("webhook lease takeover", failure)) {
        Log.warnf("Webhook lease takeover failed: %s", failure.getMessage());
      }
      then.run();
      vertx.setTimer(RETRY_MS, id -> run(() -> { }));
    });
  }
}
