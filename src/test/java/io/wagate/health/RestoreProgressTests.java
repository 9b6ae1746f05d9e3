package io.wagate.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Readiness waits for one finished restore pass per sidecar boot. */
class RestoreProgressTests {

  @Test
  void notCompleteBeforeTheFirstPass() {
    RestoreProgress p = new RestoreProgress();
    assertThat(p.complete()).isFalse();
    assertThat(p.describe()).isEqualTo("restoring 0/0");
  }

  @Test
  void countsThePassThenCompletes() {
    RestoreProgress p = new RestoreProgress();
    p.seen("boot-1");
    p.planned(3);
    p.stepped();
    assertThat(p.complete()).isFalse();
    assertThat(p.describe()).isEqualTo("restoring 1/3");
    p.stepped();
    p.stepped();
    p.finished("boot-1");
    assertThat(p.complete()).isTrue();
    assertThat(p.describe()).isEqualTo("restored");
    // later passes for the same boot keep it complete
    p.seen("boot-1");
    p.planned(5);
    assertThat(p.complete()).isTrue();
  }

  @Test
  void aNewSidecarBootStartsOver() {
    RestoreProgress p = new RestoreProgress();
    p.seen("boot-1");
    p.planned(0);
    p.finished("boot-1");
    p.seen("boot-2");
    assertThat(p.complete()).isFalse();
    p.planned(2);
    p.stepped();
    assertThat(p.describe()).isEqualTo("restoring 1/2");
    p.finished("boot-2");
    assertThat(p.complete()).isTrue();
  }
}
