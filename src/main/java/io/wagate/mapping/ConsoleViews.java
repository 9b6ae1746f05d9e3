package io.wagate.mapping;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What the console's extension routes show (docs/API.md, section 3.4); component order is the JSON order. */
public final class ConsoleViews {
  private ConsoleViews() {
  }

  /** One state transition of the timeline: its event id, the states on both sides, its cause and when. */
  @RegisterForReflection
  public record Transition(long id, String state, @Schema(nullable = true) String previousState, @Schema(nullable = true) String reason,
      @Schema(nullable = true) String numberJid, @Schema(format = "date-time") String at) {
  }

  /** One webhook delivery of an event, with every attempt made so far. */
  @RegisterForReflection
  public record DeliveryView(long id, long eventId, @Schema(nullable = true) String event, @Schema(nullable = true) String state,
      @Schema(nullable = true, description = "null when the webhook was deleted since") String label, String url,
      @Schema(enumeration = {"pending", "delivered", "rejected", "dead"}) String status, @Schema(format = "date-time") String createdAt,
      @Schema(nullable = true, format = "date-time") String finishedAt, List<AttemptView> attempts) {
  }

  @RegisterForReflection
  public record AttemptView(int attempt, @Schema(format = "date-time") String at, @Schema(nullable = true) Integer httpStatus,
      @Schema(nullable = true) Integer latencyMs, @Schema(nullable = true) String error) {
  }

  /** The answer of one webhook to the test event ({@code httpStatus} null when it could not be reached). */
  @RegisterForReflection
  public record TestResult(String label, @Schema(nullable = true) Integer httpStatus, long latencyMs, @Schema(nullable = true) String error) {
  }

  /** A virtual contact of the emulator (demo mode only): an account with a whatsmeow client of its own. */
  @RegisterForReflection
  public record VirtualContact(String phone, String jid, String name, boolean connected) {
  }
}
