package io.wagate.rest;

import java.util.Map;

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
  public Uni<Map<String, Object>> webhook(RoutingContext rc, @PathParam("instance") String name, WebhookRequest body) {
    return events.configureWebhook(Principals.require(rc), name, body);
  }

  @GET
  @Path("/getWebhook/{instance}")
  public Uni<Map<String, Object>> getWebhook(RoutingContext rc, @PathParam("instance") String name, @QueryParam("label") String label) {
    return events.getWebhooks(Principals.require(rc), name, label);
  }

  /** RyzeAPI clients read the configuration back under both spellings. */
  @GET
  @Path("/webhook/{instance}")
  public Uni<Map<String, Object>> readWebhook(RoutingContext rc, @PathParam("instance") String name, @QueryParam("label") String label) {
    return events.getWebhooks(Principals.require(rc), name, label);
  }

  @POST
  @Path("/websocket/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Map<String, Object>> websocket(RoutingContext rc, @PathParam("instance") String name, WebsocketRequest body) {
    return events.configureWebsocket(Principals.require(rc), name, body);
  }

  @GET
  @Path("/getWebsocket/{instance}")
  public Uni<Map<String, Object>> getWebsocket(RoutingContext rc, @PathParam("instance") String name) {
    return events.getWebsocket(Principals.require(rc), name);
  }
}
