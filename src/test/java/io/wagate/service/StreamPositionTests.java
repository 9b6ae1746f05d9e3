package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamPositionTests {

  @Test
  void aListIsCurrentOnlyOnceItsBootIsStoredUpToItsSeq() {
    StreamPosition position = new StreamPosition();
    assertThat(position.storedThrough("boot-a", 0)).as("a boot that published nothing").isTrue();
    assertThat(position.storedThrough("boot-a", 1)).as("nothing stored yet").isFalse();

    position.stored("boot-a", 7);
    assertThat(position.storedThrough("boot-a", 7)).isTrue();
    assertThat(position.storedThrough("boot-a", 6)).isTrue();
    assertThat(position.storedThrough("boot-a", 8)).as("an event of the list's boot is not stored yet").isFalse();
    assertThat(position.storedThrough("boot-b", 3)).as("seq of another boot says nothing").isFalse();
  }
}
