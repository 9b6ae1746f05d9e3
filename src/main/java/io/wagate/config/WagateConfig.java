package io.wagate.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every wagate-specific setting; environment variables follow Quarkus' mapping (WAGATE_ADMIN_TOKEN, ...). */
@ConfigMapping(prefix = "wagate")
public interface WagateConfig {

  /** Public base URL, reported as {@code instanceData.baseUrl} in events. */
  @WithDefault("http://localhost:8080")
  String baseUrl();

  Encryption encryption();

  Admin admin();

  Bootstrap bootstrap();

  RateLimit rateLimit();

  Reconcile reconcile();

  Events events();

  Accounts accounts();

  Connect connect();

  /** Paths of the Go binaries used by the tests (system properties set by surefire/failsafe); unused at run time. */
  TestBinaries test();

  interface Encryption {
    /** Base64 of 32 bytes (AES-256); wins over {@link #keyFile()}. */
    Optional<String> key();

    /** A key file created with a random key when missing; only the dev/test/demo profiles set it. */
    Optional<String> keyFile();
  }

  interface Admin {
    /** Admin API token; without it the admin API answers 404. */
    Optional<String> token();
  }

  interface Bootstrap {
    /** An account token created at start-up when absent. */
    Optional<String> accountToken();

    /** Name of the bootstrap account. */
    @WithDefault("default")
    String accountName();
  }

  interface RateLimit {
    /** Requests per token and minute (the "Global" bucket, and the per-address bucket without a valid token). */
    @WithDefault("100")
    int defaultPerMinute();

    /** Requests per token and minute for POST /api/instance/new. */
    @WithDefault("20")
    int createPerMinute();
  }

  interface Reconcile {
    /** How many instances are restored at the same time. */
    @WithDefault("32")
    int concurrency();

    /** How often the reconciler compares desired and observed state. */
    @WithDefault("30s")
    Duration interval();
  }

  interface Events {
    /** Whether {@code instanceData.token} is included in event envelopes. */
    @WithDefault("true")
    boolean includeToken();
  }

  interface Accounts {
    /** Instance quota of accounts created without one. */
    @WithDefault("10")
    int defaultInstanceQuota();
  }

  interface Connect {
    /** How long GET /connect waits for the first QR or pairing code. */
    @WithDefault("60s")
    Duration codeTimeout();
  }

  interface TestBinaries {
    Optional<String> sidecarBin();

    Optional<String> emulatorBin();
  }
}
