package dev.tandem.schema;

import java.util.Map;
import org.flywaydb.core.api.FlywayException;

/**
 * The migrate step ({@code ./tandem migrate}, the compose {@code migrate} job, devstack at start). Reads the database location and
 * credentials from the same variables as the services, waits up to
 * {@code TANDEM_MIGRATE_WAIT_SECONDS} (default 60) for the database to accept connections,
 * applies pending migrations and exits 0, or prints why and exits 1. It is the only thing that
 * ever changes the schema.
 */
public final class Migrate {

    private Migrate() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        try {
            DatabaseUrl url = DatabaseUrl.parse(env.getOrDefault("TANDEM_DB_URL", DatabaseUrl.DEFAULT));
            String user = env.getOrDefault("TANDEM_DB_USER", "tandem");
            String password = env.getOrDefault("TANDEM_DB_PASSWORD", "tandem");
            int waitSeconds = Integer.parseInt(env.getOrDefault("TANDEM_MIGRATE_WAIT_SECONDS", "60"));
            System.out.println("migrate: " + url + " as " + user);
            String version = Migrations.migrate(Migrations.flyway(url, user, password, Math.max(0, waitSeconds / 2)));
            System.out.println("migrate: schema is at version " + version);
        } catch (IllegalArgumentException | FlywayException e) {
            System.err.println("migrate: FAILED: " + e.getMessage());
            System.exit(1);
        }
    }
}
