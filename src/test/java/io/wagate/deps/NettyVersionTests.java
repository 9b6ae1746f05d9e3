package io.wagate.deps;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The HTTP decoder of Netty before 4.1.136 has a known CVE. Quarkus 3.33.2 brings 4.1.133, so the pom pins the fixed
 * Netty; this reads what actually ends up on the class path, so a Quarkus bump that drops the pin cannot regress it.
 */
class NettyVersionTests {

  @Test
  void theHttpCodecOnTheClassPathHasTheDecoderFix() {
    Version codecHttp = Version.identify().get("netty-codec-http");
    assertThat(codecHttp).as("netty-codec-http on the class path").isNotNull();
    assertThat(compare(codecHttp.artifactVersion(), "4.1.136.Final"))
        .as("netty-codec-http %s must be at least 4.1.136.Final", codecHttp.artifactVersion())
        .isGreaterThanOrEqualTo(0);
    // Mixed Netty modules break at run time in ways no unit test sees; one version for all of them.
    assertThat(Version.identify().values().stream().map(Version::artifactVersion).distinct())
        .containsExactly(codecHttp.artifactVersion());
  }

  private static int compare(String a, String b) {
    int[] x = numbers(a);
    int[] y = numbers(b);
    return Arrays.compare(x, y);
  }

  private static int[] numbers(String version) {
    return Arrays.stream(version.replace(".Final", "").split("\\.")).mapToInt(Integer::parseInt).toArray();
  }
}
