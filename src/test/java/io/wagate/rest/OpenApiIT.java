package io.wagate.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The OpenAPI document as the packaged application serves it. */
@QuarkusIntegrationTest
class OpenApiIT extends OpenApiTests {
}
