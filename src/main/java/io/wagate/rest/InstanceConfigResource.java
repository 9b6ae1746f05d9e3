package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.ConfigService;
import io.wagate.service.command.ProxyRequest;
import io.wagate.service.command.S3Request;
import io.wagate.service.command.SettingsRequest;

/** RyzeAPI Instance module: settings, proxy and S3 (docs/API.md, sections 2.7 to 2.9). */
@Path("/api/instance")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceConfigResource {
  private final ConfigService configs;

  public InstanceConfigResource(ConfigService configs) {
    this.configs = configs;
  }

  @GET
  @Path("/getSettings/{instance}")
  public Uni<ConfigBodies.Settings> getSettings(RoutingContext rc, @PathParam("instance") String name) {
    return configs.getSettings(Principals.require(rc), name).map(s -> ConfigBodies.Settings.of("Settings retrieved successfully", s));
  }

  @POST
  @Path("/settings/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<ConfigBodies.Settings> settings(RoutingContext rc, @PathParam("instance") String name, SettingsRequest body) {
    return configs.updateSettings(Principals.require(rc), name, body).map(s -> ConfigBodies.Settings.of("Settings updated successfully", s));
  }

  @GET
  @Path("/getProxy/{instance}")
  public Uni<ConfigBodies.Proxy> getProxy(RoutingContext rc, @PathParam("instance") String name) {
    return configs.getProxy(Principals.require(rc), name).map(p -> ConfigBodies.Proxy.of("Proxy configuration retrieved successfully", p));
  }

  @POST
  @Path("/proxy/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<ConfigBodies.Proxy> proxy(RoutingContext rc, @PathParam("instance") String name, ProxyRequest body) {
    return configs.updateProxy(Principals.require(rc), name, body).map(p -> ConfigBodies.Proxy.of("Proxy configuration updated", p));
  }

  @GET
  @Path("/getS3/{instance}")
  public Uni<ConfigBodies.S3Read> getS3(RoutingContext rc, @PathParam("instance") String name) {
    return configs.getS3(Principals.require(rc), name).map(ConfigBodies.S3Read::of);
  }

  @POST
  @Path("/s3/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<ConfigBodies.S3Updated> s3(RoutingContext rc, @PathParam("instance") String name, S3Request body) {
    return configs.updateS3(Principals.require(rc), name, body).map(ConfigBodies.S3Updated::of);
  }
}
