package io.wagate.client;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.quarkus.grpc.api.ChannelBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcClientConfiguration;

/**
 * Dials the sidecar over a unix socket when {@code wagate.sidecar.socket} names one ({@code make run}: a 0600 socket
 * in a 0700 directory, so no other local user can drive WhatsApp sessions through the sidecar's unauthenticated gRPC).
 * Unset, the channel stays on TCP host/port (the pod: both containers share loopback).
 *
 * <p>Quarkus builds the target from host and port; a resolver of the channel's own answers every target with the
 * socket address. Quarkus would replace the event loop with Vert.x's NIO loop, which cannot open unix sockets, unless
 * {@code quarkus.grpc.clients.sidecar.use-vertx-event-loop=false}: start-up fails when that is missing.
 */
@ApplicationScoped
public class SidecarSocket implements ChannelBuilderCustomizer<NettyChannelBuilder> {
  static final String CLIENT = "sidecar";

  private final Optional<String> socket;

  public SidecarSocket(@ConfigProperty(name = "wagate.sidecar.socket") Optional<String> socket) {
    this.socket = socket.filter(s -> !s.isBlank());
  }

  @Override
  public Map<String, Object> customize(String name, GrpcClientConfiguration config, NettyChannelBuilder builder) {
    if (!CLIENT.equals(name) || socket.isEmpty()) {
      return Map.of();
    }
    if (config.useVertxEventLoop()) {
      throw new IllegalStateException("wagate.sidecar.socket needs quarkus.grpc.clients.sidecar.use-vertx-event-loop=false"
          + " (QUARKUS_GRPC_CLIENTS_SIDECAR_USE_VERTX_EVENT_LOOP=false)");
    }
    builder.channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(new EpollEventLoopGroup(1, new DefaultThreadFactory("sidecar-uds", true)))
        .nameResolverFactory(new Resolver(config.nameResolver(), new DomainSocketAddress(socket.get())));
    return Map.of();
  }

  /** Answers any target of its scheme with the one socket address. */
  static final class Resolver extends NameResolverProvider {
    private final String scheme;
    private final DomainSocketAddress address;

    Resolver(String scheme, DomainSocketAddress address) {
      this.scheme = scheme;
      this.address = address;
    }

    @Override
    public NameResolver newNameResolver(URI target, NameResolver.Args args) {
      return new NameResolver() {
        @Override
        public String getServiceAuthority() {
          return "localhost";
        }

        @Override
        public void start(Listener2 listener) {
          listener.onResult(ResolutionResult.newBuilder()
              .setAddresses(List.of(new EquivalentAddressGroup(address))).build());
        }

        @Override
        public void shutdown() {
        }
      };
    }

    @Override
    public String getDefaultScheme() {
      return scheme;
    }

    @Override
    protected boolean isAvailable() {
      return true;
    }

    @Override
    protected int priority() {
      return 10;
    }
  }
}
