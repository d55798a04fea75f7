package dev.tandem.schema;

import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The database location both services read from {@code TANDEM_DB_URL}, in the libpq URI form
 * {@code postgresql://host[:port]/database[?options]} without credentials (those come from
 * {@code TANDEM_DB_USER} and {@code TANDEM_DB_PASSWORD}).
 *
 * <p>One form for both stacks: core-app's JDBC driver takes it behind a {@code jdbc:} prefix and
 * hot-path-service's reactive client takes it as is.
 */
public record DatabaseUrl(
        String host, int port, String database, @Nullable String query) {

    public static final String DEFAULT = "postgresql://localhost:5432/tandem";

    public DatabaseUrl {
        if (host.isBlank() || database.isBlank()) {
            throw new IllegalArgumentException("host and database are required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code postgresql://host[:port]/database[?options]}. */
    public static DatabaseUrl parse(String value) {
        String url = value.strip();
        if (url.startsWith("jdbc:")) {
            // Both services read this variable too, and hot-path's reactive client refuses the JDBC form.
            throw invalid(value, "drop the jdbc: prefix: TANDEM_DB_URL is postgresql://host:port/database");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(value, e.getReason());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw invalid(value, "the scheme must be postgresql://");
        }
        if (uri.getUserInfo() != null) {
            throw invalid(value, "credentials belong in TANDEM_DB_USER and TANDEM_DB_PASSWORD, not in the URL");
        }
        if (uri.getHost() == null) {
            throw invalid(value, "a host is required");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.length() < 2) {
            throw invalid(value, "a database name is required, as in postgresql://localhost:5432/tandem");
        }
        return new DatabaseUrl(
                uri.getHost(), uri.getPort() == -1 ? 5432 : uri.getPort(), path.substring(1), uri.getRawQuery());
    }

    public static DatabaseUrl of(String host, int port, String database) {
        return new DatabaseUrl(host, port, database, null);
    }

    /** The {@code postgresql://} form, as hot-path-service's reactive client takes it. */
    public String uri() {
        return "postgresql://" + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
    }

    /** The form the PostgreSQL JDBC driver takes. */
    public String jdbcUrl() {
        return "jdbc:" + uri();
    }

    @Override
    public String toString() {
        return uri();
    }

    private static IllegalArgumentException invalid(String value, String reason) {
        // Never echo a value that may hold a password.
        String shown = value.contains("@") ? "(not shown: it contains credentials)" : "'" + value + "'";
        return new IllegalArgumentException("Invalid TANDEM_DB_URL " + shown + ": " + reason);
    }
}
