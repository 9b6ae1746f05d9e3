package io.wagate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The state enums' one spelling (database and JSON): every value round-trips, anything else is refused by name. */
class StateEnumsTests {

  @ParameterizedTest
  @EnumSource(InstanceState.class)
  void instanceStateRoundTrips(InstanceState s) {
    assertThat(InstanceState.fromWire(s.wire())).isSameAs(s);
  }

  @ParameterizedTest
  @EnumSource(DesiredState.class)
  void desiredStateRoundTrips(DesiredState s) {
    assertThat(DesiredState.fromWire(s.wire())).isSameAs(s);
  }

  @ParameterizedTest
  @EnumSource(LifecycleEvent.class)
  void lifecycleEventRoundTrips(LifecycleEvent e) {
    assertThat(LifecycleEvent.fromWire(e.wire())).isSameAs(e);
  }

  /** docs/API.md, section 1.6: the REST states and the desired states as the contract and the schema spell them. */
  @Test
  void spellingsAreTheContracts() {
    assertThat(Arrays.stream(InstanceState.values()).map(InstanceState::wire)).containsExactly("disconnected", "connecting", "connected", "loggedout");
    assertThat(Arrays.stream(DesiredState.values()).map(DesiredState::wire)).containsExactly("running", "stopped");
    assertThat(LifecycleEvent.QR_READY.wire()).isEqualTo("qr_ready");
    assertThat(LifecycleEvent.LOGGED_OUT.wire()).isEqualTo("logged_out");
  }

  @Test
  void terminalEventsStopTheInstance() {
    assertThat(Arrays.stream(LifecycleEvent.values()).filter(LifecycleEvent::terminal).map(LifecycleEvent::wire))
        .containsExactlyInAnyOrder("logged_out", "temp_banned", "client_outdated", "stream_replaced", "pair_error", "qr_timeout");
  }

  @Test
  void unknownSpellingsAreRefusedByName() {
    assertThatThrownBy(() -> InstanceState.fromWire("logged_out")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown instance state: logged_out");
    assertThatThrownBy(() -> DesiredState.fromWire("RUNNING")).isInstanceOf(IllegalArgumentException.class).hasMessage("Unknown desired state: RUNNING");
    assertThatThrownBy(() -> LifecycleEvent.fromWire("loggedout")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown lifecycle event: loggedout");
    assertThatThrownBy(() -> InstanceState.fromWire(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
