package io.wagate.rest;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.wagate.service.DemoPhoneService;

/**
 * Outside demo mode the console's demo routes do not exist: 404 {@code Not found} before the token is even checked
 * ({@link AuthFilter} runs later), so a probe learns nothing about them.
 */
public class DemoGate {
  private final DemoPhoneService demo;

  public DemoGate(DemoPhoneService demo) {
    this.demo = demo;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
  public Response hideOutsideDemo(SimpleResourceInfo resource) {
    return resource.getResourceClass() == DemoResource.class && !demo.enabled() ? ErrorBody.response(404, "Not found") : null;
  }
}
