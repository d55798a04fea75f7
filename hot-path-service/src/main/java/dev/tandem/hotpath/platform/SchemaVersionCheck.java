package dev.tandem.hotpath.platform;

import dev.tandem.schema.Migrations;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Refuses to start against a schema older than the migrations this build ships: the migrate step
 * (shared-schema) must run first. hot-path-service never migrates. Any other database problem (an
 * unreachable server, a wrong password) is reported as itself.
 */
@ApplicationScoped
class SchemaVersionCheck {

    private static final String UNDEFINED_TABLE = "42P01";

    void onStart(@Observes @Priority(20) StartupEvent event, Pool pool) {
        String latest = Integer.toString(Migrations.LATEST_VERSION);
        boolean migrated = pool.preparedQuery(
                        "select exists (select 1 from flyway_schema_history" + " where version = $1 and success)")
                .execute(Tuple.of(latest))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .onFailure(failure -> failure instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState()))
                .recoverWithItem(false)
                .await()
                .atMost(Duration.ofSeconds(30));
        if (!migrated) {
            throw new IllegalStateException("The database schema is older than version " + latest
                    + ", which this build of hot-path-service needs. Run the migrate step first"
                    + " (./tandem migrate, or the migrate job of docker-compose.yml).");
        }
    }
}
