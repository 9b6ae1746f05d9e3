package io.wagate.events;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.wagate.config.WagateConfig;
import io.wagate.health.DatabaseOutage;

/** Prunes the event log and finished webhook deliveries older than {@code wagate.events.retention}. */
@ApplicationScoped
public class Retention {
  static final int BATCH = 5_000;

  private final EventStore store;
  private final WagateConfig config;
  private final DatabaseOutage database;

  public Retention(EventStore store, WagateConfig config, DatabaseOutage database) {
    this.database = database;
    this.store = store;
    this.config = config;
  }

  @Scheduled(every = "${wagate.events.retention-interval:1h}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return prune().invoke(n -> {
      if (n > 0) {
        Log.infof("Retention removed %d event and delivery rows", n);
      }
    }).onFailure().recoverWithItem(e -> {
      if (!database.failed("retention", e)) {
        Log.warnf("Retention run failed: %s", e.getMessage());
      }
      return 0;
    }).replaceWithVoid();
  }

  /** One full pass, batch by batch; yields the number of rows removed. */
  public Uni<Integer> prune() {
    return pruneFrom(0);
  }

  private Uni<Integer> pruneFrom(int soFar) {
    return store.prune(config.events().retention(), BATCH).chain(n -> n >= BATCH ? pruneFrom(soFar + n) : Uni.createFrom().item(soFar + n));
  }
}
