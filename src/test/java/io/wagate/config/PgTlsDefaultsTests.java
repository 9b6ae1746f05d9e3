package io.wagate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/** PG_SSLMODE / PG_SSLROOTCERT reach both the reactive pool and JDBC, as they reach the sidecar's DSN. */
class PgTlsDefaultsTests {

  @Test
  void verifyFullChecksTheChainAndTheHostName() {
    assertThat(PgTlsDefaults.properties("verify-full", "/etc/wagate/pg-ca/ca.crt"))
        .containsEntry(PgTlsDefaults.REACTIVE_MODE, "verify-full").containsEntry(PgTlsDefaults.JDBC_MODE, "verify-full")
        .containsEntry(PgTlsDefaults.REACTIVE_PEM, "true").containsEntry(PgTlsDefaults.REACTIVE_PEM_CERTS, "/etc/wagate/pg-ca/ca.crt")
        .containsEntry(PgTlsDefaults.JDBC_ROOT_CERT, "/etc/wagate/pg-ca/ca.crt").containsEntry(PgTlsDefaults.REACTIVE_HOSTNAME, "HTTPS");
  }

  @Test
  void verifyCaChecksTheChainOnly() {
    assertThat(PgTlsDefaults.properties("verify-ca", "/ca.pem")).containsEntry(PgTlsDefaults.REACTIVE_PEM_CERTS, "/ca.pem")
        .doesNotContainKey(PgTlsDefaults.REACTIVE_HOSTNAME);
  }

  @Test
  void nonVerifyingModesIgnoreTheRootCertificate() {
    assertThat(PgTlsDefaults.properties("require", "/ca.pem")).containsOnlyKeys(PgTlsDefaults.REACTIVE_MODE, PgTlsDefaults.JDBC_MODE)
        .containsEntry(PgTlsDefaults.REACTIVE_MODE, "require");
    assertThat(PgTlsDefaults.properties("Disable", null)).containsEntry(PgTlsDefaults.JDBC_MODE, "disable");
  }

  @Test
  void withoutPgSslModeTheDriverDefaultsStay() {
    assertThat(PgTlsDefaults.properties(null, "/ca.pem")).isEmpty();
    assertThat(PgTlsDefaults.properties(" ", null)).isEmpty();
  }

  @Test
  void registeredBelowApplicationProperties() {
    assertThat(ServiceLoader.load(ConfigSource.class).stream().map(ServiceLoader.Provider::type)).contains(PgTlsDefaults.class);
    assertThat(new PgTlsDefaults().getOrdinal()).isLessThan(250);
  }
}
