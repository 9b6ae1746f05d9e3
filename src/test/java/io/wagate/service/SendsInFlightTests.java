package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/** Receipts wait for the sends in flight when they arrive, and only for those. */
class SendsInFlightTests {
  static final Duration BOUND = Duration.ofSeconds(5);

  @Test
  void aBatchWaitsForTheSendInFlightOfItsInstanceOnly() {
    SendsInFlight inFlight = new SendsInFlight();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    Pending first = new Pending();
    inFlight.track(a, first.uni).subscribe().with(v -> { });

    assertThat(inFlight.settled(List.of(b)).await().atMost(BOUND)).isNull();
    AtomicBoolean settled = new AtomicBoolean();
    inFlight.settled(List.of(a, b)).subscribe().with(v -> settled.set(true));
    assertThat(settled).isFalse();

    // a send started after the batch arrived is not waited for
    Pending later = new Pending();
    inFlight.track(a, later.uni).subscribe().with(v -> { }, t -> { });
    first.emitter.complete("3EB0FIRST");
    assertThat(settled).isTrue();

    later.emitter.fail(new IllegalStateException("send failed"));
    assertThat(inFlight.settled(List.of(a)).await().atMost(BOUND)).isNull();
  }

  /** A send whose outcome the test decides. */
  static final class Pending {
    UniEmitter<? super String> emitter;
    final Uni<String> uni = Uni.createFrom().emitter(e -> emitter = e);
  }
}
