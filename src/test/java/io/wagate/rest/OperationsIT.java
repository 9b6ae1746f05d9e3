package io.wagate.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Health, metrics and Swagger UI of the packaged application. */
@QuarkusIntegrationTest
class OperationsIT extends OperationsTests {
}
