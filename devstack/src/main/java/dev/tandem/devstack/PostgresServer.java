package dev.tandem.devstack;

import dev.tandem.schema.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server from the binaries zonky ships in Maven jars. As root it runs under
 * {@code unshare -U}, because PostgreSQL refuses to run as root.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "tandem";
    public static final String USER = "tandem";
    public static final String PASSWORD = "tandem";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory}, creating the cluster on first use and keeping it
     * across runs. A server left running by a crashed previous run is stopped first.
     *
     * @param durable false trades crash safety for speed (fsync off): for throw-away test data only
     * @param logFile where the server's own output goes, or null for this process's logging
     */
    public static PostgresServer start(Path dataDirectory, int port, boolean durable, Path logFile) {
        OrphanedProcesses.stopPostgres(dataDirectory);
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("listen_addresses", "localhost");
            if (logFile != null) {
                Files.createDirectories(logFile.getParent());
                builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            }
            if (durable) {
                builder.setServerConfig("synchronous_commit", "on"); // zonky turns it off by default
            } else {
                builder.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
            }
            PostgresServer server = new PostgresServer(builder.start());
            server.ensureDatabase();
            return server;
        } catch (IOException e) {
            throw new DevStackException("PostgreSQL did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public DatabaseUrl url() {
        return DatabaseUrl.of("localhost", port(), DATABASE);
    }

    /** The application database, as the application user. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"localhost"});
        dataSource.setPortNumbers(new int[] {port()});
        dataSource.setDatabaseName(DATABASE);
        dataSource.setUser(USER);
        dataSource.setPassword(PASSWORD);
        return dataSource;
    }

    /**
     * Creates another empty database owned by the application user, for tests that need a schema
     * in a particular state. Returns its URL.
     */
    public DatabaseUrl createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create database " + name + " owner " + USER + " encoding 'UTF8'");
        } catch (SQLException e) {
            throw new DevStackException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return DatabaseUrl.of("localhost", port(), name);
    }

    /** Creates the application role and database once; idempotent. */
    private void ensureDatabase() {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            if (!exists(s, "select 1 from pg_roles where rolname = '" + USER + "'")) {
                s.execute("create role " + USER + " login password '" + PASSWORD + "'");
            }
            if (!exists(s, "select 1 from pg_database where datname = '" + DATABASE + "'")) {
                s.execute("create database " + DATABASE + " owner " + USER + " encoding 'UTF8'");
            }
        } catch (SQLException e) {
            throw new DevStackException("could not create the " + DATABASE + " database: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
