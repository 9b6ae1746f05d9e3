package io.wagate.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same checks against the packaged application (the JVM jar here, the native binary on a GraalVM builder). */
@QuarkusIntegrationTest
class ErrorEnvelopeIT extends ErrorEnvelopeTests {
}
