package dev.tandem.core.platform;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.CoreApplication;
import dev.tandem.devstack.PostgresServer;
import dev.tandem.devstack.testing.TestServers;
import dev.tandem.schema.DatabaseUrl;
import dev.tandem.schema.Migrations;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** core-app refuses to start against a database the migrate step has not brought up to date. */
class SchemaValidationTests {

    @Test
    void refusesASchemaOlderThanItsMigrations() {
        PostgresServer server = TestServers.postgres();
        DatabaseUrl old = server.createDatabase("schema_v2");
        Flyway.configure()
                .dataSource(old.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD)
                .locations(Migrations.LOCATION)
                .target("2")
                .load()
                .migrate();

        assertThatThrownBy(() -> new SpringApplicationBuilder(CoreApplication.class)
                        .profiles("test")
                        .properties(
                                "TANDEM_DB_URL=" + old.uri(),
                                "TANDEM_AMQP_URI=" + TestServers.amqpUri(),
                                "server.port=0")
                        .run()
                        .close())
                .rootCause()
                .hasMessageContaining("Detected resolved migration not applied to database")
                .hasMessageContaining("3");
    }
}
