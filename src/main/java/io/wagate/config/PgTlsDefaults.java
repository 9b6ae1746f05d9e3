package io.wagate.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * TLS to PostgreSQL from the variables the sidecar's DSN uses: {@code PG_SSLMODE} as libpq spells it (disable, allow,
 * prefer, require, verify-ca, verify-full) for both the reactive pool and JDBC (Flyway), and for the verifying modes
 * {@code PG_SSLROOTCERT}, the PEM file of the CA that signed the server's certificate (the reactive client cannot
 * verify without one). verify-full also checks the host name. Without {@code PG_SSLMODE} the drivers' own defaults
 * stay. The low ordinal lets application.properties or the {@code QUARKUS_DATASOURCE_*} variables override any key.
 */
public class PgTlsDefaults implements ConfigSource {
  static final String REACTIVE_MODE = "quarkus.datasource.reactive.postgresql.ssl-mode";
  static final String JDBC_MODE = "quarkus.datasource.jdbc.additional-jdbc-properties.sslmode";
  static final String REACTIVE_PEM = "quarkus.datasource.reactive.trust-certificate-pem";
  static final String REACTIVE_PEM_CERTS = "quarkus.datasource.reactive.trust-certificate-pem.certs";
  static final String JDBC_ROOT_CERT = "quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert";
  static final String REACTIVE_HOSTNAME = "quarkus.datasource.reactive.hostname-verification-algorithm";

  private final Map<String, String> properties = properties(System.getenv("PG_SSLMODE"), System.getenv("PG_SSLROOTCERT"));

  /** The datasource keys for one {@code PG_SSLMODE} / {@code PG_SSLROOTCERT} pair (either may be null or blank). */
  static Map<String, String> properties(String mode, String rootCert) {
    Map<String, String> out = new HashMap<>();
    if (mode == null || mode.isBlank()) {
      return out;
    }
    String m = mode.trim().toLowerCase();
    out.put(REACTIVE_MODE, m);
    out.put(JDBC_MODE, m);
    boolean verifying = m.equals("verify-ca") || m.equals("verify-full");
    if (verifying && rootCert != null && !rootCert.isBlank()) {
      out.put(REACTIVE_PEM, "true");
      out.put(REACTIVE_PEM_CERTS, rootCert.trim());
      out.put(JDBC_ROOT_CERT, rootCert.trim());
    }
    if (m.equals("verify-full")) {
      out.put(REACTIVE_HOSTNAME, "HTTPS");
    }
    return out;
  }

  @Override
  public Map<String, String> getProperties() {
    return properties;
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties.keySet();
  }

  @Override
  public String getValue(String propertyName) {
    return properties.get(propertyName);
  }

  @Override
  public String getName() {
    return "wagate-pg-tls";
  }

  @Override
  public int getOrdinal() {
    return 50;
  }
}
