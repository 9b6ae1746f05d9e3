package io.wagate.rest;

import java.util.Map;

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
  public Uni<Map<String, Object>> getSettings(RoutingContext rc, @PathParam("instance") String name) {
    return configs.getSettings(Principals.require(rc), name);
  }

  @POST
  @Path("/settings/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Map<String, Object>> settings(RoutingContext rc, @PathParam("instance") String name, SettingsRequest body) {
    return configs.updateSettings(Principals.require(rc), name, body);
  }

  @GET
  @Path("/getProxy/{instance}")
  public Uni<Map<String, Object>> getProxy(RoutingContext rc, @PathParam("instance") String name) {
    return configs.getProxy(Principals.require(rc), name);
  }

  @POST
  @Path("/proxy/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Map<String, Object>> proxy(RoutingContext rc, @PathParam("instance") String name, ProxyRequest body) {
    return configs.updateProxy(Principals.require(rc), name, body);
  }

  @GET
  @Path("/getS3/{instance}")
  public Uni<Map<String, Object>> getS3(RoutingContext rc, @PathParam("instance") String name) {
    return configs.getS3(Principals.require(rc), name);
  }

  @POST
  @Path("/s3/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Map<String, Object>> s3(RoutingContext rc, @PathParam("instance") String name, S3Request body) {
    return configs.updateS3(Principals.require(rc), name, body);
  }
}
