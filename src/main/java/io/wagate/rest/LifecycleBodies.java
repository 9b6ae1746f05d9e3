package io.wagate.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.InstanceState;
import io.wagate.service.ConnectOutcome;

/** The RyzeAPI bodies of the lifecycle routes (docs/API.md, sections 2.2 to 2.6); component order is the JSON order. */
public final class LifecycleBodies {
  private LifecycleBodies() {
  }

  @RegisterForReflection
  @Schema(name = "StatusResponse")
  public record Status(@Schema(required = true, enumeration = "true") boolean success, String message,
      @Schema(required = true, enumeration = {"connecting", "connected"}) String status) {
  }

  @RegisterForReflection
  public record PairingCode(boolean success, String message, String pairingCode, String status) {
  }

  @RegisterForReflection
  public record QrCode(boolean success, String message, String qrCode, String qrCodeBase64, String status) {
  }

  @RegisterForReflection
  public record InstanceStatus(@Schema(required = true, enumeration = {"loggedout", "deleted"}) String status) {
  }

  /** Logout and delete: {@code {"success":true,"message":...,"instance":{"status":...}}}. */
  @RegisterForReflection
  @Schema(name = "InstanceStatusResponse")
  public record Stopped(@Schema(required = true, enumeration = "true") boolean success, String message, @Schema(required = true) InstanceStatus instance) {
    static Stopped of(String message, String status) {
      return new Stopped(true, message, new InstanceStatus(status));
    }
  }

  static Status resumed(ConnectOutcome.Resumed r) {
    return r.alreadyConnected() ? new Status(true, "Instance already connected", InstanceState.CONNECTED.wire())
        : new Status(true, "Reconnect initiated", InstanceState.CONNECTING.wire());
  }

  static Object connected(ConnectOutcome outcome) {
    if (outcome instanceof ConnectOutcome.PairingCode p) {
      return new PairingCode(true, "Pairing code generated", p.code(), "pairing");
    }
    if (outcome instanceof ConnectOutcome.QrCode q) {
      return new QrCode(true, "QR code generated", q.code(), q.pngDataUrl(), "qr");
    }
    return resumed((ConnectOutcome.Resumed) outcome);
  }

  static Stopped loggedOut() {
    return Stopped.of("Instance logged out", InstanceState.LOGGED_OUT.wire());
  }

  static Stopped deleted() {
    return Stopped.of("Instance deleted", "deleted");
  }
}
