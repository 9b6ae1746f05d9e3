package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.LifecycleEvent;
import io.wagate.SessionEvent;
import io.wagate.support.Api;

/**
 * Stream events are recorded in batches, one transaction each: every event of a batch sees the state the ones before
 * it left, and the event log keeps stream order per instance and across the batch. Prints the recording rate of the
 * batched path against one transaction per event (measured, never asserted).
 */
@QuarkusTest
class StateRecorderBatchTests {
  /** As many as one account may create in a minute (the create bucket). */
  private static final int INSTANCES = 20;
  private static final int BATCH = 500;
  private static final List<String> CYCLE = List.of("connecting", "connected", "disconnected");

  @Inject
  StateRecorder recorder;

  @Inject
  Pool pool;

  @Test
  void batchesKeepStreamOrderAndTheirRateIsPrinted() {
    String account = Api.newAccount(INSTANCES, 1_000_000);
    String prefix = Api.unique("batch");
    List<String> names = new ArrayList<>();
    for (int n = 0; n < INSTANCES; n++) {
      names.add(prefix + "-" + n);
      Api.newInstance(account, names.get(n));
    }
    Map<UUID, String> byId = new HashMap<>();
    pool.preparedQuery("SELECT id, name FROM instance WHERE name = ANY($1)").execute(Tuple.of(names.toArray(String[]::new)))
        .await().atMost(Duration.ofSeconds(10)).forEach(r -> byId.put(r.getUUID("id"), r.getString("name")));
    List<UUID> ids = List.copyOf(byId.keySet());
    long before = maxEventId();

    // 50 rounds of connecting/connected/disconnected for every instance (3,000 events), interleaved as a busy stream is
    List<SessionEvent> stream = new ArrayList<>();
    for (int round = 0; round < 50; round++) {
      for (String kind : CYCLE) {
        for (UUID id : ids) {
          stream.add(new SessionEvent("bench", stream.size() + 1, id, LifecycleEvent.fromWire(kind), System.currentTimeMillis(), "5511:1@s.whatsapp.net", null, 0, List.of(), null,
              0, null, false));
        }
      }
    }
    long t0 = System.nanoTime();
    for (int from = 0; from < stream.size(); from += BATCH) {
      recorder.applyAll(stream.subList(from, Math.min(stream.size(), from + BATCH))).await().atMost(Duration.ofSeconds(60));
    }
    double batchedSeconds = (System.nanoTime() - t0) / 1e9;

    // every event recorded once, in stream order: per instance the kinds cycle exactly as sent
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery("SELECT id, instance_id, state FROM instance_event WHERE id > $1 AND instance_id = ANY($2) ORDER BY id")
        .execute(Tuple.of(before, ids.toArray(UUID[]::new))).await().atMost(Duration.ofSeconds(10)).forEach(rows::add);
    assertThat(rows).hasSize(stream.size());
    for (int n = 0; n < rows.size(); n++) {
      assertThat(rows.get(n).getUUID("instance_id")).isEqualTo(stream.get(n).instanceId());
      assertThat(rows.get(n).getString("state")).isEqualTo(stream.get(n).kind().wire());
    }
    // the last event was a disconnect, and nothing asked these instances to run
    assertThat(Api.state(account, names.get(0))).isEqualTo("disconnected");

    // the same number of events, one transaction each, for comparison
    List<SessionEvent> single = stream.subList(0, Math.min(stream.size(), 1_000));
    long t1 = System.nanoTime();
    for (SessionEvent e : single) {
      recorder.apply(e).await().atMost(Duration.ofSeconds(10));
    }
    double singleSeconds = (System.nanoTime() - t1) / 1e9;
    System.out.printf("%n| recording path | events | seconds | events/s |%n|---|---|---|---|%n| batches of %d | %d | %.2f | %.0f |%n"
        + "| one transaction per event | %d | %.2f | %.0f |%n%n", BATCH, stream.size(), batchedSeconds, stream.size() / batchedSeconds, single.size(),
        singleSeconds, single.size() / singleSeconds);
  }

  private long maxEventId() {
    return pool.query("SELECT coalesce(max(id), 0) FROM instance_event").execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
  }
}
