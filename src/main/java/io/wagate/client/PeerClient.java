package io.wagate.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.wagate.config.WagateConfig;

/**
 * Requests to the other gateways of the cluster (a lifecycle command forwarded to the instance's owner), through one
 * Vert.x {@link WebClient} with its own keep-alive pool: the members are few and talk often. No retry: a forwarded
 * command is not idempotent, and the caller decides whether to try again.
 */
@ApplicationScoped
public class PeerClient {
  private final WebClient client;
  private final Duration timeout;

  public PeerClient(Vertx vertx, WagateConfig config) {
    this.timeout = config.cluster().forwardTimeout();
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setKeepAlive(true).setMaxPoolSize(16)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.cluster().forwardConnectTimeout().toMillis())).setTryUseCompression(false)
        .setUserAgent("wagate-forward"));
  }

  /** Sends the request to {@code base} (a member's advertised URL) + {@code uri}; fails on network errors and the timeout. */
  public Uni<HttpResponse<Buffer>> send(String base, HttpMethod method, String uri, MultiMap headers, Buffer body) {
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return Uni.createFrom().deferred(() -> client.requestAbs(method, trimmed + uri).putHeaders(headers).timeout(timeout.toMillis()).sendBuffer(body))
        .ifNoItem().after(timeout).fail();
  }
}
