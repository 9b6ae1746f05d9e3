package io.wagate.client;

import java.net.InetAddress;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.net.SocketAddress;
import io.wagate.security.WebhookTargets;

/**
 * Where an outgoing HTTP request of wagate (webhooks, media downloads) may connect under the SSRF policy of
 * {@link WebhookTargets}: the name is resolved once, every address checked, and the checked one is the one connected
 * to, so a DNS answer cannot change in between.
 */
@ApplicationScoped
public class TargetResolver {
  private final Vertx vertx;
  private final WebhookTargets targets;

  public TargetResolver(Vertx vertx, WebhookTargets targets) {
    this.vertx = vertx;
    this.targets = targets;
  }

  /**
   * The address to connect to, or null when private targets are allowed (connect by name). Fails with
   * {@link WebhookClient.TargetRefusedException} for a refused address and {@link IllegalStateException} for an unknown host.
   */
  public Uni<SocketAddress> resolve(String host, int port) {
    if (targets.allowPrivate()) {
      return Uni.createFrom().nullItem();
    }
    return vertx.executeBlocking(Uni.createFrom().item(() -> {
      try {
        return InetAddress.getAllByName(host);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException("unknown host", e);
      }
    }), false).map(addresses -> {
      for (InetAddress a : addresses) {
        if (targets.refusedAddress(a)) {
          throw new WebhookClient.TargetRefusedException("target address not allowed");
        }
      }
      return SocketAddress.inetSocketAddress(port, addresses[0].getHostAddress());
    });
  }
}
