package io.wagate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The start-up rule for the admin token and the length rule for caller-chosen instance tokens. */
class TokenRulesTests {

  @Test
  void placeholderAdminTokenIsRefused() {
    assertThat(TokenRules.adminTokenProblem(Optional.of("REPLACE_ME-admin-token"))).get().asString().contains("REPLACE_ME placeholder");
    // a long placeholder is still a placeholder
    assertThat(TokenRules.adminTokenProblem(Optional.of("REPLACE_ME-admin-token-0123456789abcdef0123456789"))).isPresent();
  }

  @Test
  void shortAdminTokenIsRefusedWithoutEchoingIt() {
    String shortToken = "0123456789abcdef0123456789abcde";
    assertThat(TokenRules.adminTokenProblem(Optional.of(shortToken))).get().asString()
        .isEqualTo("wagate.admin.token must be at least 32 characters, got 31").doesNotContain(shortToken);
  }

  @Test
  void strongOrAbsentAdminTokenIsAccepted() {
    assertThat(TokenRules.adminTokenProblem(Optional.of("0123456789abcdef0123456789abcdef"))).isEmpty();
    assertThat(TokenRules.adminTokenProblem(Optional.empty())).isEmpty();
    assertThat(TokenRules.adminTokenProblem(Optional.of(" "))).isEmpty();
  }

  @Test
  void instanceTokensNeedThirtyTwoCharacters() {
    assertThat(TokenRules.strongEnough("a".repeat(31))).isFalse();
    assertThat(TokenRules.strongEnough("a".repeat(32))).isTrue();
    assertThat(TokenRules.strongEnough(TokenHasher.newToken())).isTrue();
  }
}
