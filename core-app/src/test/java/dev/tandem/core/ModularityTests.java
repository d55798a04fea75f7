package dev.tandem.core;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Features depend on each other's public API only (Spring Modulith's rules), never on internals. */
class ModularityTests {

    @Test
    void featureModulesRespectTheirBoundaries() {
        ApplicationModules.of(CoreApplication.class).verify();
    }
}
