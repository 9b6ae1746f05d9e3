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

  Webhooks webhooks();

  Accounts accounts();

  Connect connect();

  Metrics metrics();

  Websocket websocket();

  Cluster cluster();

  Media media();

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

  interface Websocket {
    /** Open WebSockets per token on one replica; one more is refused with 429 before the upgrade. */
    @WithDefault("100")
    int maxPerToken();
  }

  interface Metrics {
    /** How often the gauges read from the database (instances by state, outbox) are refreshed. */
    @WithDefault("15s")
    Duration refreshInterval();
  }

  interface Reconcile {
    /** How many instances are restored at the same time. */
    @WithDefault("32")
    int concurrency();

    /** How often the reconciler compares desired and observed state. */
    @WithDefault("30s")
    Duration interval();

    /**
     * How long the sidecar's event stream may stay broken before the instances it held are recorded as disconnected
     * (a re-subscription to the same sidecar process within this time loses nothing and changes nothing).
     */
    @WithDefault("2s")
    Duration sidecarLostAfter();
  }

  interface Events {
    /** Whether {@code instanceData.token} is included in event envelopes. */
    @WithDefault("true")
    boolean includeToken();

    /** How long events and finished webhook deliveries are kept; the retention job runs every {@code wagate.events.retention-interval}. */
    @WithDefault("7d")
    Duration retention();

    /** How often the retention job runs (read by its {@code @Scheduled} expression). */
    @WithDefault("1h")
    Duration retentionInterval();

    /** Frames a WebSocket client may have unsent before it is disconnected as too slow (at least 400). */
    @WithDefault("1000")
    int websocketBuffer();
  }

  interface Webhooks {
    /** Allow webhook targets on loopback, private, link-local or unspecified addresses (true in dev, test and demo). */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /** Per-attempt HTTP timeout. */
    @WithDefault("10s")
    Duration timeout();

    /** First retry delay; doubled per failed attempt, with jitter. */
    @WithDefault("1s")
    Duration backoffInitial();

    /** Longest delay between two attempts. */
    @WithDefault("10m")
    Duration backoffMax();

    /** A delivery still failing this long after its event is marked dead (kept and counted). */
    @WithDefault("24h")
    Duration maxAge();

    /** How long a claimed batch belongs to this replica; after a crash another replica takes over once it ends. */
    @WithDefault("60s")
    Duration lease();

    /** Webhooks worked at the same time by one replica (each webhook strictly one delivery at a time). */
    @WithDefault("128")
    int concurrency();

    /** Deliveries claimed per webhook at once. */
    @WithDefault("50")
    int batch();

    /** How often due retries are looked for when no new event arrives. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * This replica's stable name (the host name when unset: the pod name in Kubernetes, which a container restart
     * keeps). A restarted process takes over the leases its predecessor of the same name left, at once, instead of
     * waiting for them to run out; a live process of the same name keeps them.
     */
    Optional<String> replica();
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

  interface Cluster {
    /**
     * Whether this gateway shares its instances with other members through leases (scale-out). Off: one gateway owns
     * every instance, as before.
     */
    @WithDefault("false")
    boolean enabled();

    /** This member's id; a fresh {@code <host>/<random>} per process when unset, so two live processes never share one. */
    Optional<String> memberId();

    /** The URL the other members reach this gateway on; {@code http://<host>:<http port>} when unset. */
    Optional<String> advertisedUrl();

    /** How long a lease and a heartbeat stay valid without renewal; a dead member's instances move after this. */
    @WithDefault("5s")
    Duration lease();

    /** How often leases and the heartbeat are renewed; about a third of the lease when unset. */
    Optional<Duration> renewInterval();

    /**
     * How long a command forwarded to the instance's owner may take: a bit above the longest route of the owner's own
     * (a media send, 150 s), so the owner's own answer, timeouts included, always comes back first.
     */
    @WithDefault("160s")
    Duration forwardTimeout();

    /** How long opening a connection to another member may take before it counts as unreachable. */
    @WithDefault("2s")
    Duration forwardConnectTimeout();
  }

  interface Media {
    /** The largest media a send accepts (decoded bytes); a download stops as soon as it goes past it. */
    @WithDefault("67108864")
    long maxBytes();
  }

  interface TestBinaries {
    Optional<String> sidecarBin();

    Optional<String> emulatorBin();
  }
}
