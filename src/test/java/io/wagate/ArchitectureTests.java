package io.wagate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The gateway's packages point one way (docs/ARCHITECTURE.md §1): rest and websocket on top, then service, then events,
 * then repository, client, security and cluster, with mapping, health and config beside them. Checked on the compiled main
 * classes, so a new call up or down the layers fails the build instead of waiting for a review.
 */
class ArchitectureTests {
  private static JavaClasses classes;

  @BeforeAll
  static void importMain() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.wagate");
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.wagate.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void layersPointOneWay() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("rest").definedBy("io.wagate.rest..")
        .layer("websocket").definedBy("io.wagate.websocket..")
        .layer("service").definedBy("io.wagate.service..")
        .layer("events").definedBy("io.wagate.events..")
        .layer("repository").definedBy("io.wagate.repository..")
        .layer("cluster").definedBy("io.wagate.cluster..")
        .layer("client").definedBy("io.wagate.client..")
        .layer("security").definedBy("io.wagate.security..")
        .layer("mapping").definedBy("io.wagate.mapping..")
        .layer("health").definedBy("io.wagate.health..")
        .layer("config").definedBy("io.wagate.config..")
        // the WebSocket endpoints share the front door's principal and error body; nothing else calls into rest
        .whereLayer("rest").mayOnlyBeAccessedByLayers("websocket")
        .whereLayer("websocket").mayNotBeAccessedByAnyLayer()
        .whereLayer("service").mayOnlyBeAccessedByLayers("rest", "websocket")
        .whereLayer("events").mayOnlyBeAccessedByLayers("rest", "websocket", "service")
        // rest reaches the data only through service
        .whereLayer("repository").mayOnlyBeAccessedByLayers("websocket", "service", "events", "security")
        .whereLayer("repository").mayOnlyAccessLayers("mapping", "config")
        .whereLayer("client").mayOnlyAccessLayers("mapping", "config", "security")
        // membership and leases: the service layer acts on them, they know nothing of sessions
        .whereLayer("cluster").mayOnlyBeAccessedByLayers("service")
        .whereLayer("cluster").mayOnlyAccessLayers("config", "health")
        .whereLayer("mapping").mayNotAccessAnyLayer()
        .whereLayer("config").mayNotAccessAnyLayer()
        .check(classes);
  }

  /** HTTP is rest's business: services speak in domain values and domain exceptions. */
  @Test
  void noHttpInService() {
    noClasses().that().resideInAPackage("io.wagate.service..")
        .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..", "io.vertx.ext.web..", "io.vertx.mutiny.ext.web..")
        .check(classes);
  }
}
