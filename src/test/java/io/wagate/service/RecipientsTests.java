package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The recipient forms of docs/MESSAGES.md and their literal refusals. */
class RecipientsTests {
  @Test
  void acceptedForms() {
    assertThat(Recipients.normalise("+55 (11) 99999-9999", null)).isEqualTo("5511999999999");
    assertThat(Recipients.normalise("5511999999999:7@s.whatsapp.net", null)).isEqualTo("5511999999999");
    assertThat(Recipients.normalise("123456789012345@lid", null)).isEqualTo("123456789012345@lid");
    assertThat(Recipients.normalise(null, "5511888888888")).isEqualTo("5511888888888");
    assertThat(Recipients.normalise("  ", "5511888888888")).isEqualTo("5511888888888");
  }

  @Test
  void refusals() {
    refused(null, null, DomainException.Kind.INVALID_INPUT, "Number is required");
    refused("", " ", DomainException.Kind.INVALID_INPUT, "Number is required");
    refused("1234567", null, DomainException.Kind.INVALID_INPUT, "Invalid phone number");
    refused("1234567890123456", null, DomainException.Kind.INVALID_INPUT, "Invalid phone number");
    refused("55119999a9999", null, DomainException.Kind.INVALID_INPUT, "Invalid phone number");
    refused("120363406289005073@g.us", null, DomainException.Kind.NOT_IMPLEMENTED, "Not implemented in wagate yet");
    refused("120363422585881117@newsletter", null, DomainException.Kind.NOT_IMPLEMENTED, "Not implemented in wagate yet");
    refused("status@broadcast", null, DomainException.Kind.NOT_IMPLEMENTED, "Not implemented in wagate yet");
  }

  private static void refused(String number, String to, DomainException.Kind kind, String message) {
    assertThatThrownBy(() -> Recipients.normalise(number, to)).isInstanceOfSatisfying(DomainException.class, e -> {
      assertThat(e.kind()).isEqualTo(kind);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }
}
