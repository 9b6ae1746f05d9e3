package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.wagate.DesiredState;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.LifecycleEvent;
import io.wagate.SessionEvent;

/** docs/API.md, section 1.6: REST state after each event, and which events stop the instance. */
class StateMachineTests {

  static Instance instance(String desired, String state, String eventState) {
    return new Instance(UUID.randomUUID(), UUID.randomUUID(), "n", "enc", OffsetDateTime.now(), DesiredState.fromWire(desired), InstanceState.fromWire(state),
        eventState == null ? null : LifecycleEvent.fromWire(eventState), "5511:1@s.whatsapp.net",
        null, null, null, 0, Instance.Settings.DEFAULTS, Instance.Proxy.NONE, Instance.S3.NONE);
  }

  static SessionEvent event(String kind) {
    return new SessionEvent("b", 1, UUID.randomUUID(), LifecycleEvent.fromWire(kind), 1_000, null, "why", 0, List.of(), null, 0, null, false);
  }

  @ParameterizedTest(name = "{2} from {0}/{1} -> {3}, desired {4}")
  @CsvSource({
      "running, disconnected, connecting, connecting, running",
      "running, connecting, qr_ready, connecting, running",
      "running, connecting, pair_code_ready, connecting, running",
      "running, connecting, pair_success, connecting, running",
      "running, connecting, pair_error, disconnected, stopped",
      "running, connecting, qr_timeout, disconnected, stopped",
      "running, connecting, connected, connected, running",
      "running, connected, disconnected, connecting, running",
      "stopped, connected, disconnected, disconnected, stopped",
      "running, connected, keepalive_timeout, connected, running",
      "running, connected, keepalive_restored, connected, running",
      "running, connected, stream_replaced, disconnected, stopped",
      "running, connecting, connect_failure, disconnected, running",
      "running, connected, temp_banned, disconnected, stopped",
      "running, connecting, client_outdated, disconnected, stopped",
      "running, connected, logged_out, loggedout, stopped"})
  void transitions(String desired, String state, String kind, String expectedState, String expectedDesired) {
    Instance next = StateMachine.next(instance(desired, state, null), event(kind));
    assertThat(next.state().wire()).isEqualTo(expectedState);
    assertThat(next.desiredState().wire()).isEqualTo(expectedDesired);
    assertThat(next.eventState().wire()).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0} after a logout changes nothing")
  @CsvSource({"logged_out", "pair_error", "qr_timeout", "disconnected", "keepalive_timeout"})
  void theEndOfASessionReportedAfterItsLogoutChangesNothing(String kind) {
    // the sidecar's report of the pairing the logout aborted can be stored after the gateway's own logged_out
    assertThat(StateMachine.next(instance("stopped", "loggedout", "logged_out"), event(kind))).isNull();
  }

  @org.junit.jupiter.api.Test
  void aNewConnectAfterALogoutStartsOver() {
    Instance next = StateMachine.next(instance("stopped", "loggedout", "logged_out"), event("connecting"));
    assertThat(next.state()).isEqualTo(InstanceState.CONNECTING);
    assertThat(StateMachine.next(next, event("pair_error")).state()).isEqualTo(InstanceState.DISCONNECTED);
  }

  @org.junit.jupiter.api.Test
  void lostSidecarIsDisconnectedButStaysDesiredRunning() {
    SessionEvent lost = new SessionEvent(null, 0, UUID.randomUUID(), LifecycleEvent.DISCONNECTED, 1_000, null, StateMachine.SIDECAR_LOST, 0, List.of(), null, 0,
        null, false);
    Instance next = StateMachine.next(instance("running", "connected", "connected"), lost);
    assertThat(next.state().wire()).isEqualTo("disconnected");
    assertThat(next.desiredState().wire()).isEqualTo("running");
    assertThat(next.lastError()).isEqualTo(StateMachine.SIDECAR_LOST);
  }

  @org.junit.jupiter.api.Test
  void droppedPairingIsDisconnected() {
    Instance pairing = new Instance(UUID.randomUUID(), UUID.randomUUID(), "n", "enc", OffsetDateTime.now(), DesiredState.RUNNING, InstanceState.CONNECTING,
        LifecycleEvent.QR_READY, null,
        null, null, null, 0, Instance.Settings.DEFAULTS, Instance.Proxy.NONE, Instance.S3.NONE);
    assertThat(StateMachine.next(pairing, event("disconnected")).state().wire()).isEqualTo("disconnected");
  }

  @ParameterizedTest
  @CsvSource({"logged_out"})
  void repeatedLogoutRecordsNothing(String kind) {
    assertThat(StateMachine.next(instance("stopped", "loggedout", "logged_out"), event(kind))).isNull();
    assertThat(StateMachine.next(instance("running", "connected", "connected"), event(kind)).jid()).isNull();
  }
}
