package io.wagate.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The lifecycle metrics of the packaged application (the emulator is driven from the test JVM). */
@QuarkusIntegrationTest
class MetricsIT extends MetricsTests {
}
