package io.wagate.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The web console (docs/CONSOLE.md). */
@ConfigMapping(prefix = "wagate.console")
public interface ConsoleConfig {
  /**
   * The emulator's control API (demo mode only, set by {@code make demo}); unset in production, where nothing of the
   * emulator is shown or routable.
   */
  Optional<String> emulatorUrl();
}
