package io.wagate.nativeimage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Native image only: one collection shortly after start-up. The native image's serial collector keeps the chunks its
 * young generation filled during start-up (migrations, bean creation, the first restore) until the first collection,
 * which an idle gateway may not reach for a long time. Collecting once, with {@code -XX:MaxHeapFree=4m} (scripts/run.sh,
 * the Dockerfiles, deploy/), returns them to the OS, so an idle pod's footprint is its live data: 12 MB of anonymous
 * memory instead of 44 MB in the README's measurement; neither half alone changed it. The JVM is left alone.
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
