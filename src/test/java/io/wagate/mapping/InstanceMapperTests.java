package io.wagate.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstanceMapperTests {

  @ParameterizedTest
  @CsvSource({
      "5511999999999:3@s.whatsapp.net, 5511999999999@s.whatsapp.net",
      "5511999999999@s.whatsapp.net, 5511999999999@s.whatsapp.net",
      "5511999999999.0:12@s.whatsapp.net, 5511999999999@s.whatsapp.net"})
  void numberJidDropsTheDevicePart(String jid, String expected) {
    assertThat(InstanceMapper.numberJid(jid)).isEqualTo(expected);
  }
}
