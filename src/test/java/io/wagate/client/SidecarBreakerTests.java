package io.wagate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.wagate.support.Api;
import io.wagate.support.SidecarEmulatorResource;

/**
 * The sidecar client's circuit breaker, by name, against the real sidecar binary stopped and started again:
 * {@code sidecarDisconnect} opens once half of 8 calls found the sidecar unreachable, refuses calls without trying
 * while open, lets one call through after its 2 s delay (half-open) and closes when that call reaches the sidecar.
 * An error answer from a reachable sidecar is not a breaker failure.
 */
@QuarkusTest
class SidecarBreakerTests {
  static final String BREAKER = "sidecarDisconnect";
  static final int VOLUME = 8;
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Inject
  SidecarClient sidecar;

  @Inject
  CircuitBreakerMaintenance breakers;

  @Test
  void opensAfterUnreachableCallsThenHalfOpensAndClosesOnceTheSidecarIsBack() {
    breakers.resetAll();
    List<CircuitBreakerState> transitions = new CopyOnWriteArrayList<>();
    breakers.onStateChange(BREAKER, transitions::add);
    try {
      SidecarEmulatorResource.killSidecar();
      try {
        for (int i = 0; i < VOLUME; i++) {
          assertThat(failureOfDisconnect()).as("call %d", i).isInstanceOf(SidecarUnavailableException.class);
        }
        assertThat(breakers.currentState(BREAKER)).isEqualTo(CircuitBreakerState.OPEN);
        // the sidecar is still gone: a call that reached it would fail as unreachable, the open breaker refuses it first
        assertThat(failureOfDisconnect()).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(SidecarErrors.unreachable(new CircuitBreakerOpenException(BREAKER))).isTrue();
      } finally {
        SidecarEmulatorResource.restartSidecar();
      }
      sidecar.connectNow();
      Api.await("the breaker to close once calls reach the restarted sidecar", TIMEOUT, () -> {
        failureOfDisconnect();
        return breakers.currentState(BREAKER) == CircuitBreakerState.CLOSED;
      });
      // a trial call made before the new process listened sends it back to open for another delay: the same cycle again
      assertThat(transitions).first().isEqualTo(CircuitBreakerState.OPEN);
      assertThat(transitions.subList(transitions.size() - 2, transitions.size())).containsExactly(CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED);
      assertThat(transitions).doesNotContainSequence(CircuitBreakerState.OPEN, CircuitBreakerState.CLOSED);
    } finally {
      // an open breaker left behind would fail the next test class for the wrong reason
      breakers.resetAll();
    }
  }

  @Test
  void errorAnswersOfAReachableSidecarDoNotOpenIt() {
    breakers.resetAll();
    for (int i = 0; i < 2 * VOLUME; i++) {
      // an instance the sidecar does not know: answered, whatever the answer is
      Throwable failure = failureOfDisconnect();
      assertThat(failure == null || failure instanceof SidecarCallException).as("call %d: %s", i, failure).isTrue();
    }
    assertThat(breakers.currentState(BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);
  }

  private Throwable failureOfDisconnect() {
    return catchThrowable(() -> sidecar.disconnect(UUID.randomUUID(), 0).await().atMost(TIMEOUT));
  }
}
