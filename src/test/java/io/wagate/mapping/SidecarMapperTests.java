package io.wagate.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.wagate.LifecycleEvent;
import io.wagate.sidecar.grpc.EventKind;

/** The gRPC boundary of the lifecycle events: every proto kind by its name, nothing else guessed. */
class SidecarMapperTests {

  @ParameterizedTest
  @EnumSource(value = EventKind.class, names = {"EVENT_KIND_UNSPECIFIED", "UNRECOGNIZED"}, mode = EnumSource.Mode.EXCLUDE)
  void everyProtoKindMapsToTheEventOfItsName(EventKind kind) {
    LifecycleEvent event = SidecarMapper.kind(kind);
    assertThat(event).isNotEqualTo(LifecycleEvent.UNKNOWN);
    assertThat(event.wire()).isEqualTo(kind.name().substring("EVENT_KIND_".length()).toLowerCase(Locale.ROOT));
  }

  @Test
  void everyEventButUnknownHasAProtoKind() {
    Set<LifecycleEvent> reached = EnumSet.noneOf(LifecycleEvent.class);
    Arrays.stream(EventKind.values()).map(SidecarMapper::kind).forEach(reached::add);
    assertThat(reached).isEqualTo(EnumSet.allOf(LifecycleEvent.class));
  }

  @Test
  void unspecifiedOrNewerKindsAreUnknown() {
    assertThat(SidecarMapper.kind(EventKind.EVENT_KIND_UNSPECIFIED)).isEqualTo(LifecycleEvent.UNKNOWN);
    assertThat(SidecarMapper.kind(EventKind.UNRECOGNIZED)).isEqualTo(LifecycleEvent.UNKNOWN);
    assertThat(SidecarMapper.kind(null)).isEqualTo(LifecycleEvent.UNKNOWN);
  }
}
