package io.wagate.mapping;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What the console's extension routes show (docs/API.md, section 3.4); component order is the JSON order. */
public final class ConsoleViews {
  private ConsoleViews() {
  }

  /** One state transition of the timeline: its event id, the states on both sides, its cause and when. */
  @RegisterForReflection
  public record Transition(long id, String state, String previousState, String reason, String numberJid, String at) {
  }

  /** One webhook delivery of an event, with every attempt made so far. */
  @RegisterForReflection
  public record DeliveryView(long id, long eventId, String event, String state, String label, String url, String status, String createdAt,
      String finishedAt, List<AttemptView> attempts) {
  }

  @RegisterForReflection
  public record AttemptView(int attempt, String at, Integer httpStatus, Integer latencyMs, String error) {
  }

  /** The answer of one webhook to the test event ({@code httpStatus} null when it could not be reached). */
  @RegisterForReflection
  public record TestResult(String label, Integer httpStatus, long latencyMs, String error) {
  }

  /** A virtual contact of the emulator (demo mode only): an account with a whatsmeow client of its own. */
  @RegisterForReflection
  public record VirtualContact(String phone, String jid, String name, boolean connected) {
  }
}
