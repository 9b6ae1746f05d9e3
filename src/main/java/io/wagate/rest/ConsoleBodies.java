package io.wagate.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.mapping.ConsoleViews.DeliveryView;
import io.wagate.mapping.ConsoleViews.TestResult;
import io.wagate.mapping.ConsoleViews.Transition;
import io.wagate.mapping.ConsoleViews.VirtualContact;

/** The bodies of the console's extension routes (docs/API.md, section 3.4); component order is the JSON order. */
public final class ConsoleBodies {
  private ConsoleBodies() {
  }

  @RegisterForReflection
  @Schema(name = "TimelineResponse")
  public record Timeline(@Schema(required = true, enumeration = "true") boolean success, @Schema(required = true) String message,
      @Schema(required = true) List<Transition> timeline) {
    static Timeline of(List<Transition> timeline) {
      return new Timeline(true, "Timeline retrieved", timeline);
    }
  }

  @RegisterForReflection
  @Schema(name = "DeliveriesResponse")
  public record Deliveries(@Schema(required = true, enumeration = "true") boolean success, @Schema(required = true) String message,
      @Schema(required = true) List<DeliveryView> deliveries) {
    static Deliveries of(List<DeliveryView> deliveries) {
      return new Deliveries(true, deliveries.size() == 1 ? "1 Delivery found" : deliveries.size() + " Deliveries found", deliveries);
    }
  }

  @RegisterForReflection
  @Schema(name = "RedeliverResponse")
  public record Redelivery(@Schema(required = true, enumeration = "true") boolean success, @Schema(required = true) String message,
      @Schema(required = true, minimum = "1") int queued) {
    static Redelivery of(int queued) {
      return new Redelivery(true, "Redelivery queued", queued);
    }
  }

  @RegisterForReflection
  @Schema(name = "TestEventResponse")
  public record TestSent(@Schema(required = true, enumeration = "true") boolean success, @Schema(required = true) String message,
      @Schema(required = true) List<TestResult> results) {
    static TestSent of(List<TestResult> results) {
      return new TestSent(true, "Test event sent", results);
    }
  }

  @RegisterForReflection
  public record DemoStatus(boolean success, String message, boolean demo) {
    static final DemoStatus ON = new DemoStatus(true, "Demo mode", true);
  }

  @RegisterForReflection
  public record Scanned(boolean success, String message, String jid) {
    static Scanned of(String jid) {
      return new Scanned(true, "Scanned by the emulator's phone", jid);
    }
  }

  @RegisterForReflection
  public record Contacts(boolean success, String message, List<VirtualContact> contacts) {
    static Contacts of(List<VirtualContact> contacts) {
      return new Contacts(true, contacts.size() == 1 ? "1 Contact found" : contacts.size() + " Contacts found", contacts);
    }
  }
}
