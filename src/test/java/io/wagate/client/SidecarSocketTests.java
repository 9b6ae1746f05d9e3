package io.wagate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.unix.DomainSocketAddress;
import io.quarkus.grpc.runtime.config.GrpcClientConfiguration;

/** The unix-socket dialing of the sidecar (make run); the end-to-end suite runs the whole stack over it. */
class SidecarSocketTests {

  @Test
  void withoutASocketTheChannelIsLeftAsConfigured() {
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget("dns://127.0.0.1:9001");
    assertThat(new SidecarSocket(Optional.empty()).customize("sidecar", config(true), builder)).isEmpty();
    assertThat(new SidecarSocket(Optional.of(" ")).customize("sidecar", config(true), builder)).isEmpty();
  }

  @Test
  void aSocketWithTheVertxEventLoopStopsStartUpWithTheSettingToChange() {
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget("dns://127.0.0.1:9001");
    assertThatThrownBy(() -> new SidecarSocket(Optional.of("/tmp/s.sock")).customize("sidecar", config(true), builder))
        .hasMessageContaining("use-vertx-event-loop=false");
  }

  @Test
  void otherClientsAreNotTouched() {
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget("dns://127.0.0.1:9001");
    assertThat(new SidecarSocket(Optional.of("/tmp/s.sock")).customize("other", config(true), builder)).isEmpty();
  }

  @Test
  void theResolverAnswersAnyTargetOfItsSchemeWithTheSocket() {
    SidecarSocket.Resolver resolver = new SidecarSocket.Resolver("dns", new DomainSocketAddress("/run/x/sidecar.sock"));
    assertThat(resolver.getDefaultScheme()).isEqualTo("dns");
    NameResolver nr = resolver.newNameResolver(URI.create("dns://127.0.0.1:9001"), null);
    List<Object> addresses = new ArrayList<>();
    nr.start(new NameResolver.Listener2() {
      @Override
      public void onResult(NameResolver.ResolutionResult result) {
        result.getAddressesOrError().getValue().forEach(g -> addresses.addAll(g.getAddresses()));
      }

      @Override
      public void onError(Status error) {
        throw new AssertionError(error.toString());
      }
    });
    assertThat(addresses).hasSize(1);
    assertThat(((DomainSocketAddress) addresses.get(0)).path()).isEqualTo("/run/x/sidecar.sock");
  }

  /** Only the two settings the customizer reads; anything else is a test bug. */
  private static GrpcClientConfiguration config(boolean vertxEventLoop) {
    Map<String, Object> values = Map.of("useVertxEventLoop", vertxEventLoop, "nameResolver", "dns");
    return (GrpcClientConfiguration) Proxy.newProxyInstance(SidecarSocketTests.class.getClassLoader(),
        new Class<?>[] {GrpcClientConfiguration.class}, (proxy, method, args) -> {
          if (!values.containsKey(method.getName())) {
            throw new UnsupportedOperationException(method.getName());
          }
          return values.get(method.getName());
        });
  }
}
