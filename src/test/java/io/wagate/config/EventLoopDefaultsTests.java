package io.wagate.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One event loop per processor, as a default that application.properties (250) and the environment (300) override. */
class EventLoopDefaultsTests {
  final EventLoopDefaults source = new EventLoopDefaults();

  @Test
  void onePerAvailableProcessor() {
    String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
    assertThat(source.getValue(EventLoopDefaults.KEY)).isEqualTo(cores);
    assertThat(source.getProperties()).containsEntry(EventLoopDefaults.KEY, cores).hasSize(1);
    assertThat(source.getValue("quarkus.http.port")).isNull();
  }

  @Test
  void ranksBelowApplicationPropertiesAndEnvironment() {
    assertThat(source.getOrdinal()).isLessThan(250);
  }
}
