package dev.tandem.schema;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** One real PostgreSQL server per test JVM; each caller gets a fresh, empty database on it. */
final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {}

    static synchronized DataSource newDatabase() {
        try {
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stop));
            }
            String name = "test_" + DATABASES.incrementAndGet();
            try (Connection c = server.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("create database " + name);
            }
            return server.getDatabase("postgres", name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static DataSource newMigratedDatabase() {
        DataSource dataSource = newDatabase();
        Migrations.migrate(Migrations.flyway(dataSource));
        return dataSource;
    }

    private static void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
