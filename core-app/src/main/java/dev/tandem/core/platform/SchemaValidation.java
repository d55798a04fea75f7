package dev.tandem.core.platform;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * core-app never migrates: shared-schema's migrate step does, once, for both services. At start
 * it only validates, so it refuses to run against a schema older than the migrations it was built
 * with (pending migrations fail validation) or one whose applied migrations were edited.
 */
@Configuration(proxyBeanMethods = false)
class SchemaValidation {

    @Bean
    FlywayMigrationStrategy validateOnly() {
        return flyway -> flyway.validate();
    }
}
