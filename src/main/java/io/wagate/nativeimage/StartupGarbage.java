package io.wagate.nativeimage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Native image only: one collection shortly after start-up. The native image's serial collector keeps the chunks its
 * young generation filled during start-up (migrations, bean creation, the first restore) until the first collection,
 * which an idle gateway may not reach for a long time; collecting once returns them, so an idle pod's footprint is
 * its live data. bench/native measures the difference ("RSS idle"). The JVM sizes its heap itself, so it is left alone.
 */
@ApplicationScoped
public class StartupGarbage {
  static final long DELAY_MS = 2_000;

  void onStart(@Observes StartupEvent event, Vertx vertx) {
    if (ImageMode.current() != ImageMode.NATIVE_RUN) {
      return;
    }
    vertx.setTimer(DELAY_MS, id -> vertx.executeBlocking(() -> {
      System.gc();
      return null;
    }, false));
  }
}
