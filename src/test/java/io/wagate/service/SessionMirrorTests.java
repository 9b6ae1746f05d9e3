package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.wagate.LifecycleEvent;
import io.wagate.SessionEvent;

/** The reconnect fast path trusts only the stream's latest word per instance, and nothing after a break. */
class SessionMirrorTests {
  static final String JID = "5511900000001:3@s.whatsapp.net";

  final SessionMirror mirror = new SessionMirror();
  final UUID id = UUID.randomUUID();

  static SessionEvent event(UUID id, String kind, String jid) {
    return new SessionEvent("boot", 1, id, LifecycleEvent.fromWire(kind), 1_000, jid, null, 0, List.of(), null, 0, null, false);
  }

  @Test
  void connectedMarksTheInstanceWithItsJid() {
    mirror.apply(event(id, "connected", JID));
    assertThat(mirror.isConnected(id, JID)).isTrue();
    assertThat(mirror.isConnected(id, "5511900000002:3@s.whatsapp.net")).as("another device").isFalse();
    assertThat(mirror.isConnected(UUID.randomUUID(), JID)).as("another instance").isFalse();
    assertThat(mirror.isConnected(id, null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"disconnected", "connecting", "logged_out", "stream_replaced", "qr_ready", "pair_success"})
  void anyOtherEventOfTheInstanceUnmarksIt(String kind) {
    UUID other = UUID.randomUUID();
    mirror.apply(event(id, "connected", JID));
    mirror.apply(event(other, "connected", JID));
    mirror.apply(event(id, kind, JID));
    assertThat(mirror.isConnected(id, JID)).isFalse();
    assertThat(mirror.isConnected(other, JID)).as("other instances keep their mark").isTrue();
  }

  @Test
  void connectedWithoutJidMarksNothing() {
    mirror.apply(event(id, "connected", null));
    mirror.apply(event(id, "connected", " "));
    assertThat(mirror.isEmpty()).isTrue();
  }

  @Test
  void aBreakForgetsEverything() {
    mirror.apply(event(id, "connected", JID));
    mirror.apply(event(UUID.randomUUID(), "connected", JID));
    mirror.forgetAll();
    assertThat(mirror.isEmpty()).isTrue();
    assertThat(mirror.isConnected(id, JID)).isFalse();
  }

  @Test
  void eventsWithoutInstanceAreIgnored() {
    mirror.apply(event(null, "connected", JID));
    assertThat(mirror.isEmpty()).isTrue();
  }
}
