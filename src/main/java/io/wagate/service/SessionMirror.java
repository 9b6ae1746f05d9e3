package io.wagate.service;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.wagate.LifecycleEvent;
import io.wagate.SessionEvent;

/**
 * Which sessions the sidecar reported as connected on the event stream this gateway is following, so that reconnect of
 * an instance that is already connected answers without a sidecar round trip (RyzeAPI answers that case from memory,
 * too). Only the ordered stream writes here, never an RPC answer: a Connect reply racing a later {@code disconnected}
 * could otherwise leave a stale mark. Any other event of the instance, a new boot and a broken stream (including a
 * frozen sidecar, which the channel's keep-alive turns into a broken stream) remove marks, so a miss only costs the RPC.
 */
@ApplicationScoped
public class SessionMirror {
  private final Map<UUID, String> connected = new ConcurrentHashMap<>();

  /** Applies a stored event of the stream, in stream order. */
  public void apply(SessionEvent e) {
    if (e.instanceId() == null || e.isMessaging()) {
      return;
    }
    if (e.kind() == LifecycleEvent.CONNECTED && e.jid() != null && !e.jid().isBlank()) {
      connected.put(e.instanceId(), e.jid());
    } else {
      connected.remove(e.instanceId());
    }
  }

  /** The stream broke or the sidecar restarted: nothing it said before can be relied on. */
  public void forgetAll() {
    connected.clear();
  }

  /** True when no session is marked, e.g. right after the stream broke. */
  public boolean isEmpty() {
    return connected.isEmpty();
  }

  /** Whether the stream's latest word on this instance is "connected" with this device JID. */
  public boolean isConnected(UUID instanceId, String jid) {
    return jid != null && jid.equals(connected.get(instanceId));
  }
}
