package dev.tandem.schema;

import java.util.Arrays;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The one place that knows how the schema is migrated: the migrate entry point, devstack and the
 * test set-ups all migrate through here. (core-app only validates, with Spring Boot's Flyway
 * pointed at the same {@link #LOCATION}.)
 */
public final class Migrations {

    /** Where the migrations live on the classpath (inside this module's jar). */
    public static final String LOCATION = "classpath:db/migration";

    /**
     * The newest migration this build contains. The services refuse to start against a database
     * that has not reached it. {@code MigrationsTest} fails when a migration is added without
     * raising this number.
     */
    public static final int LATEST_VERSION = 22;

    /**
     * Flyway's lock on its history as a session lock, not a transaction it keeps open: a migration
     * that builds an index CONCURRENTLY (V17) waits for every open transaction, Flyway's own too.
     */
    private static final Map<String, String> SESSION_LOCK = Map.of("flyway.postgresql.transactional.lock", "false");

    private Migrations() {}

    /** Flyway configured for Tandem's schema; {@code clean} is disabled so no command can wipe a database. */
    public static Flyway flyway(DataSource dataSource) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .configuration(SESSION_LOCK)
                .load();
    }

    /**
     * Flyway for a database given by URL; it retries the first connection every two seconds up to
     * {@code connectRetries} times, for stacks that start the database and this step together.
     */
    public static Flyway flyway(DatabaseUrl url, String user, String password, int connectRetries) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(url.jdbcUrl(), user, password)
                .locations(LOCATION)
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .configuration(SESSION_LOCK)
                .connectRetries(connectRetries)
                .connectRetriesInterval(2)
                .load();
    }

    /** Applies pending migrations and returns the version the schema is at afterwards. */
    public static String migrate(Flyway flyway) {
        MigrateResult result = flyway.migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        return version == null ? "empty" : version;
    }

    /** The versions of the migrations shipped in this build, as Flyway resolves them. */
    public static int[] shippedVersions(Flyway flyway) {
        return Arrays.stream(flyway.info().all())
                .filter(info -> info.getVersion() != null)
                .mapToInt(info -> Integer.parseInt(info.getVersion().getVersion()))
                .distinct()
                .sorted()
                .toArray();
    }
}
