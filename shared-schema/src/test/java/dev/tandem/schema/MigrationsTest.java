package dev.tandem.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void migratesAnEmptyDatabaseToTheLatestVersion() throws SQLException {
        DataSource db = TestPostgres.newDatabase();

        String version = Migrations.migrate(Migrations.flyway(db));

        assertThat(version).isEqualTo(String.valueOf(Migrations.LATEST_VERSION));
        assertThat(tables(db)).contains("users", "posts", "comments", "attachments", "outbox", "inbox");
    }

    @Test
    void latestVersionIsTheNewestShippedMigration() {
        Flyway flyway = Migrations.flyway(TestPostgres.newDatabase());

        int[] versions = Migrations.shippedVersions(flyway);

        assertThat(versions).isNotEmpty();
        assertThat(versions[versions.length - 1])
                .as("raise Migrations.LATEST_VERSION with every new migration")
                .isEqualTo(Migrations.LATEST_VERSION);
        for (int i = 0; i < versions.length; i++) {
            assertThat(versions[i]).as("versions are consecutive from 1").isEqualTo(i + 1);
        }
    }

    @Test
    void aSecondRunAppliesNothing() {
        DataSource db = TestPostgres.newDatabase();
        Migrations.migrate(Migrations.flyway(db));

        var result = Migrations.flyway(db).migrate();

        assertThat(result.migrationsExecuted).isZero();
        assertThat(result.success).isTrue();
    }

    @Test
    void aMigratedDatabaseValidates() {
        Flyway flyway = Migrations.flyway(TestPostgres.newMigratedDatabase());

        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
    }

    @Test
    void cleanIsRefused() {
        Flyway flyway = Migrations.flyway(TestPostgres.newMigratedDatabase());

        org.assertj.core.api.Assertions.assertThatThrownBy(flyway::clean).hasMessageContaining("clean");
    }

    private static List<String> tables(DataSource db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
