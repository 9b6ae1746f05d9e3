package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.rest.NoPeriodicReconcileProfile;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.EventLog;
import io.wagate.support.InjectEmulator;

/**
 * The "sidecar lost" mark can land after a pass has already restored the sessions on a new sidecar (the stream had not
 * reached the new process yet when its grace time ran out). It must not record a {@code disconnected} after their
 * {@code connected}: only what the sidecar does not hold is marked (real sidecar, emulator and database).
 */
@QuarkusTest
@TestProfile(NoPeriodicReconcileProfile.class)
class LateSidecarLostTests {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  Reconciler reconciler;

  @Inject
  EventLog events;

  @Inject
  Pool pool;

  @Test
  void aLateLostMarkSparesWhatTheSidecarHoldsAndMarksTheRest() {
    String account = Api.newAccount(50, 100_000);
    String held = Api.unique("held");
    Api.newInstance(account, held);
    Api.pair(emulator, account, held, "5511900000340", TIMEOUT);
    // looks connected in the database, but no sidecar holds a session for it
    String stale = Api.unique("stale");
    Api.newInstance(account, stale);
    pool.preparedQuery("UPDATE instance SET state = 'connected' WHERE name = $1").execute(Tuple.of(stale)).await().atMost(TIMEOUT);
    long marker = events.maxId();

    reconciler.recordSidecarLost().await().atMost(TIMEOUT);

    assertThat(events.of(held, account)).filteredOn(r -> r.id() > marker).as("events of the session the sidecar holds").isEmpty();
    assertThat(Api.state(account, held)).isEqualTo("connected");
    List<EventLog.Row> marked = events.of(stale, account).stream().filter(r -> r.id() > marker).toList();
    assertThat(marked).extracting(EventLog.Row::state).containsExactly("disconnected");
    assertThat(marked.get(0).data().getString("reason")).isEqualTo(StateMachine.SIDECAR_LOST);
  }
}
