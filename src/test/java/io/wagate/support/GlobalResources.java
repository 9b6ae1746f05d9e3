package io.wagate.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Every @QuarkusTest runs against the real sidecar and emulator processes. */
@QuarkusTestResource(SidecarEmulatorResource.class)
public final class GlobalResources {
  private GlobalResources() {
  }
}
