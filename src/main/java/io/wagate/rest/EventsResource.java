package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.EventConfigService;
import io.wagate.service.command.WebhookRequest;
import io.wagate.service.command.WebsocketRequest;

/** RyzeAPI Events module: webhook and WebSocket configuration (docs/API.md, sections 3.2 and 3.3). */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
  private final EventConfigService events;

  public EventsResource(EventConfigService events) {
    this.events = events;
  }

  @POST
  @Path("/webhook/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<ConfigBodies.Webhook> webhook(RoutingContext rc, @PathParam("instance") String name, WebhookRequest body) {
    return events.configureWebhook(Principals.require(rc), name, body).map(w -> ConfigBodies.Webhook.of("Webhook configured", w));
  }

  @GET
  @Path("/getWebhook/{instance}")
  public Uni<Object> getWebhook(RoutingContext rc, @PathParam("instance") String name, @QueryParam("label") String label) {
    return read(rc, name, label);
  }

  /** RyzeAPI clients read the configuration back under both spellings. */
  @GET
  @Path("/webhook/{instance}")
  public Uni<Object> readWebhook(RoutingContext rc, @PathParam("instance") String name, @QueryParam("label") String label) {
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
  public Uni<ConfigBodies.Websocket> websocket(RoutingContext rc, @PathParam("instance") String name, WebsocketRequest body) {
    return events.configureWebsocket(Principals.require(rc), name, body).map(w -> ConfigBodies.Websocket.of("WebSocket configured", w));
  }

  @GET
  @Path("/getWebsocket/{instance}")
  public Uni<ConfigBodies.Websocket> getWebsocket(RoutingContext rc, @PathParam("instance") String name) {
    return events.getWebsocket(Principals.require(rc), name).map(w -> ConfigBodies.Websocket.of("WebSocket configuration retrieved", w));
  }
}
