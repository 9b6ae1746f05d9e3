package io.wagate.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.DeliveryLogService;
import io.wagate.service.WebhookTestService;

/** Events module extensions for the web console: timeline, delivery log, redelivery, test event (docs/API.md, section 3.4). */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleResource {
  private final DeliveryLogService log;
  private final WebhookTestService test;

  public ConsoleResource(DeliveryLogService log, WebhookTestService test) {
    this.log = log;
    this.test = test;
  }

  @GET
  @Path("/timeline/{instance}")
  public Uni<ConsoleBodies.Timeline> timeline(RoutingContext rc, @PathParam("instance") String name, @QueryParam("limit") String limit) {
    return log.timeline(Principals.require(rc), name, limit).map(ConsoleBodies.Timeline::of);
  }

  @GET
  @Path("/deliveries/{instance}")
  public Uni<ConsoleBodies.Deliveries> deliveries(RoutingContext rc, @PathParam("instance") String name, @QueryParam("limit") String limit) {
    return log.deliveries(Principals.require(rc), name, limit).map(ConsoleBodies.Deliveries::of);
  }

  /** Any body is accepted and ignored, as for reconnect. */
  @POST
  @Path("/redeliver/{instance}/{eventId}")
  public Uni<ConsoleBodies.Redelivery> redeliver(RoutingContext rc, @PathParam("instance") String name, @PathParam("eventId") String eventId) {
    return log.redeliver(Principals.require(rc), name, eventId).map(ConsoleBodies.Redelivery::of);
  }

  @POST
  @Path("/test/{instance}")
  public Uni<ConsoleBodies.TestSent> test(RoutingContext rc, @PathParam("instance") String name) {
    return test.send(Principals.require(rc), name).map(ConsoleBodies.TestSent::of);
  }
}
