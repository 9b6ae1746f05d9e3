package io.wagate.rest;

import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.ConfigService;
import io.wagate.service.InstanceService;
import io.wagate.service.LifecycleService;
import io.wagate.service.command.CreateInstanceRequest;

/** RyzeAPI Instance module: lifecycle routes (docs/API.md, sections 2.1 to 2.6). */
@Path("/api/instance")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {
  private final InstanceService instances;
  private final LifecycleService lifecycle;
  private final ConfigService configs;

  public InstanceResource(InstanceService instances, LifecycleService lifecycle, ConfigService configs) {
    this.instances = instances;
    this.lifecycle = lifecycle;
    this.configs = configs;
  }

  @POST
  @Path("/new")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> create(RoutingContext rc, CreateInstanceRequest body) {
    return instances.create(Principals.require(rc), body).map(c -> Response.status(201).entity(InstanceBodies.Created.of(c)).build());
  }

  @GET
  @Path("/connect/{instance}")
  public Uni<Object> connect(RoutingContext rc, @PathParam("instance") String name, @QueryParam("number") String number,
      @QueryParam("history") String history) {
    // `?number=` is a phone number that is wrong, not an absent one: REST would hand it over as null
    String given = number == null && rc.request().params().contains("number") ? "" : number;
    return lifecycle.connect(Principals.require(rc), name, given, history).map(LifecycleBodies::connected);
  }

  /** The body is accepted and ignored, whatever its type. */
  @POST
  @Path("/reconnect/{instance}")
  @Consumes(MediaType.WILDCARD)
  public Uni<LifecycleBodies.Status> reconnect(RoutingContext rc, @PathParam("instance") String name) {
    return lifecycle.reconnect(Principals.require(rc), name).map(LifecycleBodies::resumed);
  }

  @GET
  @Path("/list")
  public Uni<InstanceBodies.Listing> list(RoutingContext rc, @QueryParam("instanceName") String instanceName) {
    List<String> names = instanceName == null || instanceName.isBlank() ? List.of()
        : Arrays.stream(instanceName.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    return configs.list(Principals.require(rc), names).map(InstanceBodies.Listing::of);
  }

  @DELETE
  @Path("/logout/{instance}")
  public Uni<LifecycleBodies.Stopped> logout(RoutingContext rc, @PathParam("instance") String name) {
    return lifecycle.logout(Principals.require(rc), name).map(v -> LifecycleBodies.loggedOut());
  }

  @DELETE
  @Path("/delete/{instance}")
  public Uni<LifecycleBodies.Stopped> delete(RoutingContext rc, @PathParam("instance") String name) {
    return lifecycle.delete(Principals.require(rc), name).map(v -> LifecycleBodies.deleted());
  }
}
