package io.wagate.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.DeliveryLogService;
import io.wagate.service.WebhookTestService;

/** Events module extensions for the web console: timeline, delivery log, redelivery, test event (docs/API.md, section 3.4). */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "events")
@APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = ApiDoc.FORBIDDEN)
@APIResponse(responseCode = "429", ref = ApiDoc.RATE_LIMITED)
@APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
public class ConsoleResource {
  private final DeliveryLogService log;
  private final WebhookTestService test;

  public ConsoleResource(DeliveryLogService log, WebhookTestService test) {
    this.log = log;
    this.test = test;
  }

  @GET
  @Path("/timeline/{instance}")
  @Operation(operationId = "getTimeline", summary = "(extension) the instance's latest state transitions, newest first, with cause and time, from the event log")
  @APIResponse(responseCode = "200", description = "The timeline", content = @Content(schema = @Schema(implementation = ConsoleBodies.Timeline.class),
      example = "{\"success\":true,\"message\":\"Timeline retrieved\",\"timeline\":[{\"id\":1042,\"state\":\"disconnected\","
          + "\"previousState\":\"connected\",\"reason\":\"connection lost\",\"numberJid\":null,\"at\":\"2026-11-25T10:01:02.123Z\"}]}"))
  @APIResponse(responseCode = "400", ref = ApiDoc.INVALID_LIMIT)
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  public Uni<ConsoleBodies.Timeline> timeline(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      @Parameter(ref = ApiDoc.LIMIT) @QueryParam("limit") String limit) {
    return log.timeline(Principals.require(rc), name, limit).map(ConsoleBodies.Timeline::of);
  }

  @GET
  @Path("/deliveries/{instance}")
  @Operation(operationId = "getDeliveries", summary = "(extension) the instance's latest webhook deliveries, newest first, each with every HTTP attempt")
  @APIResponse(responseCode = "200", description = "The delivery log", content = @Content(schema = @Schema(implementation = ConsoleBodies.Deliveries.class),
      example = "{\"success\":true,\"message\":\"1 Delivery found\",\"deliveries\":[{\"id\":7,\"eventId\":1042,\"event\":\"instance.state\","
          + "\"state\":\"connected\",\"label\":\"default\",\"url\":\"https://hooks.example.com/wa\",\"status\":\"delivered\","
          + "\"createdAt\":\"2026-11-25T10:01:02.123Z\",\"finishedAt\":\"2026-11-25T10:01:03.020Z\",\"attempts\":[{\"attempt\":1,"
          + "\"at\":\"2026-11-25T10:01:02.130Z\",\"httpStatus\":503,\"latencyMs\":12,\"error\":\"HTTP 503\"},{\"attempt\":2,"
          + "\"at\":\"2026-11-25T10:01:03.000Z\",\"httpStatus\":200,\"latencyMs\":9,\"error\":null}]}]}"))
  @APIResponse(responseCode = "400", ref = ApiDoc.INVALID_LIMIT)
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  public Uni<ConsoleBodies.Deliveries> deliveries(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      @Parameter(ref = ApiDoc.LIMIT) @QueryParam("limit") String limit) {
    return log.deliveries(Principals.require(rc), name, limit).map(ConsoleBodies.Deliveries::of);
  }

  /** Any body is accepted and ignored, as for reconnect. */
  @POST
  @Path("/redeliver/{instance}/{eventId}")
  @Operation(operationId = "redeliverEvent",
      summary = "(extension) queues a stored event again for the instance's enabled webhooks whose filter takes it; any body is ignored")
  @APIResponse(responseCode = "200", description = "Queued", content = @Content(schema = @Schema(implementation = ConsoleBodies.Redelivery.class),
      example = "{\"success\":true,\"message\":\"Redelivery queued\",\"queued\":1}"))
  @APIResponse(responseCode = "400", description = "No enabled webhook takes the event", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "No enabled webhook takes this event" + ApiDoc.END))
  @APIResponse(responseCode = "404", description = "Unknown instance, or an event that is not this instance's (or no longer stored)", content = @Content(
      schema = @Schema(ref = ApiDoc.ERROR), examples = {@ExampleObject(name = "instance", value = ApiDoc.ERR + ApiDoc.INSTANCE_NOT_FOUND + ApiDoc.END),
          @ExampleObject(name = "event", value = ApiDoc.ERR + "Event not found" + ApiDoc.END)}))
  @APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
  public Uni<ConsoleBodies.Redelivery> redeliver(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      @Parameter(required = true, schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("eventId") String eventId) {
    return log.redeliver(Principals.require(rc), name, eventId).map(ConsoleBodies.Redelivery::of);
  }

  @POST
  @Path("/test/{instance}")
  @Operation(operationId = "sendTestEvent",
      summary = "(extension) POSTs a webhook.test envelope to each enabled webhook at once (not stored, not retried) and answers with each reply")
  @APIResponse(responseCode = "200", description = "Sent; one result per enabled webhook (a network error has httpStatus null and the error)",
      content = @Content(schema = @Schema(implementation = ConsoleBodies.TestSent.class), example = "{\"success\":true,\"message\":\"Test event sent\","
          + "\"results\":[{\"label\":\"default\",\"httpStatus\":200,\"latencyMs\":14,\"error\":null}]}"))
  @APIResponse(responseCode = "400", description = "No enabled webhook", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "No enabled webhook for this instance" + ApiDoc.END))
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  @APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
  public Uni<ConsoleBodies.TestSent> test(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name) {
    return test.send(Principals.require(rc), name).map(ConsoleBodies.TestSent::of);
  }
}
