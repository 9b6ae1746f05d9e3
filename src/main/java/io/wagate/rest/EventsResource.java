package io.wagate.rest;

import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.EventConfigService;
import io.wagate.service.command.WebhookRequest;
import io.wagate.service.command.WebsocketRequest;

/** RyzeAPI Events module: webhook and WebSocket configuration (docs/API.md, sections 3.2 and 3.3). */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "events")
@APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = ApiDoc.FORBIDDEN)
@APIResponse(responseCode = "429", ref = ApiDoc.RATE_LIMITED)
@APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
public class EventsResource {
  private static final String WEBHOOK = "{\"label\":\"default\",\"enabled\":true,\"url\":\"https://example.com/hook\",\"byEvents\":false,\"events\":[],\"mediaBase64\":false}";
  private static final String INVALID_EVENT = "Invalid event: message.unknown";

  private final EventConfigService events;

  public EventsResource(EventConfigService events) {
    this.events = events;
  }

  @POST
  @Path("/webhook/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "upsertWebhook", summary = "Create or fully replace the webhook with this label (at most 3 enabled per instance)")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = WebhookRequest.class), example = "{\"label\":\"default\","
      + "\"enabled\":true,\"url\":\"https://example.com/hook\",\"byEvents\":false,\"events\":[\"instance.state\"],\"mediaBase64\":false}"))
  @APIResponse(responseCode = "200", description = "Configured", content = @Content(schema = @Schema(implementation = ConfigBodies.Webhook.class),
      example = "{\"success\":true,\"message\":\"Webhook configured\",\"webhook\":{\"label\":\"default\",\"enabled\":true,"
          + "\"url\":\"https://example.com/hook\",\"byEvents\":false,\"events\":[\"instance.state\"],\"mediaBase64\":false}}"))
  @APIResponse(responseCode = "400", description = "Invalid body, URL or event name", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "body", value = ApiDoc.ERR + ApiDoc.INVALID_BODY + ApiDoc.END),
      @ExampleObject(name = "url", value = ApiDoc.ERR + "Invalid webhook URL" + ApiDoc.END),
      @ExampleObject(name = "event", value = ApiDoc.ERR + INVALID_EVENT + ApiDoc.END)}))
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  @APIResponse(responseCode = "409", description = "Too many enabled webhooks", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Maximum of 3 enabled webhooks per instance" + ApiDoc.END))
  @APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
  @APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED)
  public Uni<ConfigBodies.Webhook> webhook(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name, WebhookRequest body) {
    return events.configureWebhook(Principals.require(rc), name, body).map(w -> ConfigBodies.Webhook.of("Webhook configured", w));
  }

  @GET
  @Path("/getWebhook/{instance}")
  @Operation(operationId = "getWebhooks", summary = "All webhooks sorted by label, or one with ?label=")
  @APIResponse(responseCode = "200", description = "webhooks (all) or webhook (with ?label=)", content = @Content(
      schema = @Schema(implementation = ConfigBodies.Webhooks.class), examples = {
          @ExampleObject(name = "all", value = "{\"success\":true,\"message\":\"" + ConfigBodies.WEBHOOK_RETRIEVED + "\",\"webhooks\":[" + WEBHOOK + "]}"),
          @ExampleObject(name = "one", value = "{\"success\":true,\"message\":\"" + ConfigBodies.WEBHOOK_RETRIEVED + "\",\"webhook\":" + WEBHOOK + "}")}))
  @APIResponse(responseCode = "404", description = "Unknown instance or label", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "instance", value = ApiDoc.ERR + ApiDoc.INSTANCE_NOT_FOUND + ApiDoc.END),
      @ExampleObject(name = "label", value = ApiDoc.ERR + "Webhook not found" + ApiDoc.END)}))
  public Uni<Object> getWebhook(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      @Parameter(schema = @Schema(type = SchemaType.STRING)) @QueryParam("label") String label) {
    return read(rc, name, label);
  }

  /** RyzeAPI clients read the configuration back under both spellings. */
  @GET
  @Path("/webhook/{instance}")
  @Operation(operationId = "getWebhooksAlias", summary = "Same as GET /api/events/getWebhook/{instance} (RyzeAPI clients use both spellings)")
  @APIResponse(responseCode = "200", description = "webhooks (all) or webhook (with ?label=)", content = @Content(
      schema = @Schema(implementation = ConfigBodies.Webhooks.class), examples = {
          @ExampleObject(name = "all", value = "{\"success\":true,\"message\":\"" + ConfigBodies.WEBHOOK_RETRIEVED + "\",\"webhooks\":[" + WEBHOOK + "]}"),
          @ExampleObject(name = "one", value = "{\"success\":true,\"message\":\"" + ConfigBodies.WEBHOOK_RETRIEVED + "\",\"webhook\":" + WEBHOOK + "}")}))
  @APIResponse(responseCode = "404", description = "Unknown instance or label", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "instance", value = ApiDoc.ERR + ApiDoc.INSTANCE_NOT_FOUND + ApiDoc.END),
      @ExampleObject(name = "label", value = ApiDoc.ERR + "Webhook not found" + ApiDoc.END)}))
  public Uni<Object> readWebhook(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      @Parameter(schema = @Schema(type = SchemaType.STRING)) @QueryParam("label") String label) {
    return read(rc, name, label);
  }

  /** Every webhook sorted by label, or the one with {@code label}. */
  private Uni<Object> read(RoutingContext rc, String name, String label) {
    if (label == null) {
      return events.webhooks(Principals.require(rc), name).map(ConfigBodies.Webhooks::of);
    }
    return events.webhook(Principals.require(rc), name, label).map(w -> ConfigBodies.Webhook.of(ConfigBodies.WEBHOOK_RETRIEVED, w));
  }

  @POST
  @Path("/websocket/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "configureWebsocket")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = WebsocketRequest.class),
      example = "{\"enabled\":true,\"events\":[\"instance.state\"],\"mediaBase64\":false}"))
  @APIResponse(responseCode = "200", description = "Configured", content = @Content(schema = @Schema(implementation = ConfigBodies.Websocket.class),
      example = "{\"success\":true,\"message\":\"WebSocket configured\",\"websocket\":{\"enabled\":true,\"events\":[\"instance.state\"],"
          + "\"mediaBase64\":false}}"))
  @APIResponse(responseCode = "400", description = "Invalid body or event name", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "body", value = ApiDoc.ERR + ApiDoc.INVALID_BODY + ApiDoc.END),
      @ExampleObject(name = "event", value = ApiDoc.ERR + INVALID_EVENT + ApiDoc.END)}))
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  @APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
  @APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED)
  public Uni<ConfigBodies.Websocket> websocket(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name, WebsocketRequest body) {
    return events.configureWebsocket(Principals.require(rc), name, body).map(w -> ConfigBodies.Websocket.of("WebSocket configured", w));
  }

  @GET
  @Path("/getWebsocket/{instance}")
  @Operation(operationId = "getWebsocket")
  @APIResponse(responseCode = "200", description = "The WebSocket configuration", content = @Content(
      schema = @Schema(implementation = ConfigBodies.Websocket.class), example = "{\"success\":true,\"message\":\"WebSocket configuration retrieved\","
          + "\"websocket\":{\"enabled\":true,\"events\":[],\"mediaBase64\":false}}"))
  @APIResponse(responseCode = "404", description = "Unknown instance or never configured", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      examples = {@ExampleObject(name = "instance", value = ApiDoc.ERR + ApiDoc.INSTANCE_NOT_FOUND + ApiDoc.END),
          @ExampleObject(name = "config", value = ApiDoc.ERR + "WebSocket not configured for this instance" + ApiDoc.END)}))
  public Uni<ConfigBodies.Websocket> getWebsocket(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name) {
    return events.getWebsocket(Principals.require(rc), name).map(w -> ConfigBodies.Websocket.of("WebSocket configuration retrieved", w));
  }
}
