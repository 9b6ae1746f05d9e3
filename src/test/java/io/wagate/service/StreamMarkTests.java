package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagate.LifecycleEvent;
import io.wagate.SessionEvent;
import io.wagate.repository.StreamMarkRepository;

/** The stream mark a batch writes in its own transaction, which a restarted gateway resumes after (real database). */
@QuarkusTest
class StreamMarkTests {
  static final Duration WAIT = Duration.ofSeconds(10);

  @Inject
  StateRecorder recorder;

  @Inject
  StreamMarkRepository marks;

  @Test
  void aBatchMarksHowFarItsBootIsStoredNeverBackwardsAndPerBoot() {
    String boot = "boot-" + UUID.randomUUID();
    assertThat(marks.storedThrough(boot).await().atMost(WAIT)).isZero();
    // events of an unknown instance record nothing, but the stream is still stored through them
    recorder.applyAll(List.of(), event(boot, 7)).await().atMost(WAIT);
    assertThat(marks.storedThrough(boot).await().atMost(WAIT)).isEqualTo(7);
    recorder.applyAll(List.of(event(boot, 3)), event(boot, 3)).await().atMost(WAIT);
    assertThat(marks.storedThrough(boot).await().atMost(WAIT)).as("never backwards").isEqualTo(7);
    recorder.applyAll(List.of(event(boot, 12)), event(boot, 12)).await().atMost(WAIT);
    assertThat(marks.storedThrough(boot).await().atMost(WAIT)).isEqualTo(12);
    assertThat(marks.storedThrough("another-" + boot).await().atMost(WAIT)).isZero();
  }

  private static SessionEvent event(String boot, long seq) {
    return new SessionEvent(boot, seq, UUID.randomUUID(), LifecycleEvent.CONNECTING, System.currentTimeMillis(), null, null, 0, List.of(), null, 0, null, false);
  }
}
