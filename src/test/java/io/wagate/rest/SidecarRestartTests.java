package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wagate.service.StateMachine;
import io.wagate.support.Api;
import io.wagate.support.EventLog;
import io.wagate.support.SidecarEmulatorResource;

/**
 * A killed sidecar is reported honestly and its restart is acted on at once: the instances it held become
 * {@code disconnected} ("sidecar lost") while it is gone, and the new process's boot announcement, not a periodic pass
 * (an hour away in this profile), brings them back.
 */
@QuarkusTest
@TestProfile(NoPeriodicReconcileProfile.class)
class SidecarRestartTests extends SidecarFixture {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The advisory lock under which a sidecar migrates its store at start-up (sidecar/internal/store/store.go). */
  static final long SIDECAR_MIGRATION_LOCK = 7761002;

  @Inject
  EventLog events;

  @Inject
  MeterRegistry registry;

  SidecarRestartTests() {
    super(TIMEOUT);
  }

  @Test
  void lostWhileDownThenRestoredOnTheNewBoot() {
    List<String> names = List.of(Api.unique("held-a"), Api.unique("held-b"));
    for (int n = 0; n < names.size(); n++) {
      Api.newInstance(account, names.get(n));
      pair(names.get(n), "551190000030" + n);
    }
    long marker = events.maxId();

    SidecarEmulatorResource.killSidecar();
    try {
      for (String name : names) {
        Api.awaitState(account, name, "disconnected", TIMEOUT);
        List<EventLog.Row> after = since(name, marker);
        assertThat(after).extracting(EventLog.Row::state).containsExactly("disconnected");
        assertThat(after.get(0).data().getString("reason")).isEqualTo(StateMachine.SIDECAR_LOST);
        assertThat(Api.list(account, name).jsonPath().getString("instances[0].connection.lastError")).isEqualTo(StateMachine.SIDECAR_LOST);
      }
    } finally {
      SidecarEmulatorResource.restartSidecar();
    }

    for (String name : names) {
      Api.awaitState(account, name, "connected", TIMEOUT);
      assertThat(since(name, marker)).extracting(EventLog.Row::state).containsExactly("disconnected", "connecting", "connected");
    }
  }

  @Test
  void restartFasterThanTheGraceTimeStillRecordsOneDisconnected() {
    String name = Api.unique("quick");
    Api.newInstance(account, name);
    pair(name, "5511900000310");
    long marker = events.maxId();

    SidecarEmulatorResource.killSidecar();
    SidecarEmulatorResource.restartSidecar();

    Api.await(name + " to be connected again", TIMEOUT,
        () -> since(name, marker).stream().anyMatch(r -> r.state().equals("connected")) && "connected".equals(Api.state(account, name)));
    List<EventLog.Row> after = since(name, marker);
    assertThat(after).extracting(EventLog.Row::state).containsExactly("disconnected", "connecting", "connected");
    assertThat(after.get(0).data().getString("reason")).isEqualTo(StateMachine.SIDECAR_LOST);
  }

  /**
   * A new sidecar announces its boot before its session store is ready and refuses calls until then (here: until the
   * test lets go of the store's migration lock). The pass that boot started keeps asking instead of failing and leaving
   * the restore to a periodic pass that is an hour away.
   */
  @Test
  void bootSeenBeforeTheStoreIsReadyStillRestores() throws SQLException {
    String name = Api.unique("early-boot");
    Api.newInstance(account, name);
    pair(name, "5511900000320");
    long marker = events.maxId();
    double refusedBefore = listSessionsFailures();

    SidecarEmulatorResource.killSidecar();
    try (Connection c = DriverManager.getConnection(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class),
        ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class),
        ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class)); Statement sql = c.createStatement()) {
      sql.execute("SELECT pg_advisory_lock(" + SIDECAR_MIGRATION_LOCK + ")");
      SidecarEmulatorResource.restartSidecar();
      Api.await("the reconciler to be refused by the sidecar that is not ready", TIMEOUT, () -> listSessionsFailures() > refusedBefore);
    }

    // the list may still show the old connected until the pass records the loss: the log says when it is over
    Api.await(name + " to be connected again", TIMEOUT,
        () -> since(name, marker).stream().anyMatch(r -> r.state().equals("connected")) && "connected".equals(Api.state(account, name)));
    assertThat(since(name, marker)).extracting(EventLog.Row::state).containsExactly("disconnected", "connecting", "connected");
  }

  private double listSessionsFailures() {
    return registry.find("wagate.sidecar.rpc.errors").tag("method", "ListSessions").counters().stream().mapToDouble(Counter::count).sum();
  }

  private List<EventLog.Row> since(String name, long marker) {
    return events.of(name, account).stream().filter(r -> r.id() > marker).toList();
  }
}
