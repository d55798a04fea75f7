package dev.tandem.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads the benchmark's data volume through COPY: {@value #USERS} users, {@value #POSTS} posts and
 * {@value #COMMENTS} comments, skewed like real data. Authors are drawn as {@code n * u^3} for a
 * uniform {@code u}, so the first 1 % of users write about a fifth of the posts and most write a
 * handful; comments go to posts the same way (a few posts draw most of them). A fixed seed makes
 * every load the same. Idempotent: a database that already holds the full set is left alone; a
 * partial one (an interrupted load) is removed, by the users' cascade, and loaded again.
 */
final class BenchData {

    static final int USERS = 100_000;
    static final int POSTS = 1_000_000;
    static final int COMMENTS = 5_000_000;
    static final String EMAIL_DOMAIN = "@bench.tandem.dev";
    static final String WORKSPACE = "bench";

    private static final String[] WORDS =
            ("the a of to and in is it you that he was for on are with as his they be at one have this from or had by"
                            + " word but what some we can out other were all there when up use your how said an each she"
                            + " which do their time if will way about many then them write would like so these her long make"
                            + " thing see him two has look more day could go come did number sound no most people my over")
                    .split(" ");

    /** The ids of the loaded users, contiguous. */
    record Loaded(long firstUser, long lastUser, long firstPost, long lastPost, boolean reused, double seconds) {}

    private BenchData() {}

    /**
     * Loads the data unless it is there. {@code restore} is where the indexes and foreign keys set
     * aside during the load are written first, so a load cut short puts them back on the next run.
     */
    static Loaded load(String jdbcUrl, String user, String password, Path restore) throws SQLException, IOException {
        long started = System.nanoTime();
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            restoreSetAside(db, restore);
            long[] users =
                    range(db, "select min(id), max(id), count(*) from users where email like '%" + EMAIL_DOMAIN + "'");
            long bench = benchWorkspace(db);
            if (users[2] == USERS && members(db, bench) >= USERS) {
                long[] posts = range(
                        db,
                        "select min(id), max(id), count(*) from posts where author_id between " + users[0] + " and "
                                + users[1] + " and workspace_id = " + bench);
                long comments = count(
                        db, "select count(*) from comments where author_id between " + users[0] + " and " + users[1]);
                if (posts[2] == POSTS && comments == COMMENTS) {
                    joinDemo(db, bench);
                    return new Loaded(users[0], users[1], posts[0], posts[1], true, seconds(started));
                }
            }
            try (Statement s = db.createStatement()) {
                // An interrupted load: its rows go with their users (posts and comments cascade).
                s.execute("delete from users where email like '%" + EMAIL_DOMAIN + "'");
            }
            SplittableRandom random = new SplittableRandom(2026);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            // Building an index once over the loaded rows is much faster than keeping it up to date
            // row by row, and so is checking a foreign key once for the table: both are set aside.
            List<String> putBack = setAside(db, List.of("posts", "comments"), restore);
            copyUsers(db, now, random);
            users = range(db, "select min(id), max(id), count(*) from users where email like '%" + EMAIL_DOMAIN + "'");
            if (users[1] - users[0] + 1 != USERS) {
                throw new IllegalStateException("bench users are not contiguous ids: " + users[0] + ".." + users[1]);
            }
            try (Statement s = db.createStatement()) {
                // Every bench user is a member of the bench workspace, where all posts and comments are.
                s.execute("insert into workspace_members (workspace_id, user_id, role) select " + bench
                        + ", id, 'member' from users where email like '%" + EMAIL_DOMAIN + "'");
            }
            joinDemo(db, bench);
            long[] workspaces = new long[USERS];
            java.util.Arrays.fill(workspaces, bench);
            long beforePosts = count(db, "select coalesce(max(id), 0) from posts");
            int[] postAuthors = copyPosts(db, users[0], workspaces, now, random);
            long[] posts = range(db, "select min(id), max(id), count(*) from posts where id > " + beforePosts);
            if (posts[1] - posts[0] + 1 != POSTS) {
                throw new IllegalStateException("bench posts are not contiguous ids: " + posts[0] + ".." + posts[1]);
            }
            copyComments(db, users[0], posts[0], workspaces, postAuthors, now, random);
            try (Statement s = db.createStatement()) {
                s.execute("set maintenance_work_mem = '512MB'");
                s.execute("set max_parallel_maintenance_workers = 2");
                for (String statement : putBack) {
                    s.execute(statement);
                }
            }
            Files.delete(restore);
            try (Statement s = db.createStatement()) {
                // Now, not by autovacuum in the middle of a measured run: statistics and the visibility map.
                s.execute("vacuum (analyze) users, posts, comments");
            }
            return new Loaded(users[0], users[1], posts[0], posts[1], false, seconds(started));
        }
    }

    /**
     * Drops the secondary indexes and the foreign keys of {@code tables}, after writing the
     * statements that create them again to {@code restore}; returns those statements (indexes
     * first, then the keys, which use them).
     */
    static List<String> setAside(Connection db, List<String> tables, Path restore) throws SQLException, IOException {
        List<String> indexes = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> drops = new ArrayList<>();
        for (String table : tables) {
            try (PreparedStatement q = db.prepareStatement("""
                    select i.indexname, i.indexdef from pg_indexes i
                    where i.schemaname = current_schema() and i.tablename = ?
                      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
                    order by 1""")) {
                q.setString(1, table);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        indexes.add(rs.getString(2));
                        drops.add("drop index " + rs.getString(1));
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement(
                    "select conname, pg_get_constraintdef(oid) from pg_constraint where conrelid = ?::regclass and contype = 'f'"
                            + " order by 1")) {
                q.setString(1, table);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        keys.add("alter table " + table + " add constraint " + rs.getString(1) + " " + rs.getString(2));
                        drops.add("alter table " + table + " drop constraint " + rs.getString(1));
                    }
                }
            }
        }
        List<String> putBack = new ArrayList<>(indexes);
        putBack.addAll(keys);
        Files.createDirectories(restore.toAbsolutePath().getParent());
        Files.write(restore, putBack);
        try (Statement s = db.createStatement()) {
            for (String drop : drops) {
                s.execute(drop);
            }
        }
        return putBack;
    }

    /** Puts back what an interrupted load set aside (each statement once; what exists is skipped). */
    private static void restoreSetAside(Connection db, Path restore) throws SQLException, IOException {
        if (!Files.exists(restore)) {
            return;
        }
        for (String statement : Files.readAllLines(restore)) {
            try (Statement s = db.createStatement()) {
                s.execute(statement);
            } catch (SQLException exists) {
                // 42P07 (index exists) or 42710 (constraint exists): already back.
                if (!List.of("42P07", "42710").contains(exists.getSQLState())) {
                    throw exists;
                }
            }
        }
        Files.delete(restore);
    }

    /** {@code n * u^3}: index 0 is the most frequent; 0.01 n covers about 21 % of draws. */
    static int skewed(SplittableRandom random, int n) {
        double u = random.nextDouble();
        return (int) Math.min(n - 1, Math.floor(n * u * u * u));
    }

    private static void copyUsers(Connection db, Instant now, SplittableRandom random)
            throws SQLException, IOException {
        try (Rows rows = new Rows(
                db,
                "copy users (email, display_name, role, status, email_verified_at, created_at,"
                        + " updated_at) from stdin (format csv)")) {
            for (int n = 1; n <= USERS; n++) {
                Instant created = now.minus(random.nextLong(730 * 24 * 3600L), ChronoUnit.SECONDS);
                rows.line("bench-" + n + EMAIL_DOMAIN, "Bench user " + n, "USER", "ACTIVE", created, created, created);
            }
            rows.commit();
        }
    }

    /**
     * The workspace every bench user belongs to and every bench post and comment is in (slug
     * {@value #WORKSPACE}): the seeds' reads run in one workspace, as a team's members read each
     * other's posts, and the bench's token names it. Posts and comments name it in the COPY, so the
     * schema's default (a lookup per row) stays out of the load.
     */
    private static long benchWorkspace(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("insert into workspaces (name, slug) select 'Bench', '" + WORKSPACE + "' where not exists"
                    + " (select 1 from workspaces where slug = '" + WORKSPACE + "' and deleted_at is null)");
        }
        return count(db, "select id from workspaces where slug = '" + WORKSPACE + "' and deleted_at is null");
    }

    private static long members(Connection db, long workspace) throws SQLException {
        return count(db, "select count(*) from workspace_members where workspace_id = " + workspace);
    }

    /** The demo account, whose token the bench reads with, joins the bench workspace. */
    private static void joinDemo(Connection db, long workspace) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("insert into workspace_members (workspace_id, user_id, role) select " + workspace
                    + ", id, 'member' from users where email = 'demo@tandem.dev' on conflict do nothing");
        }
    }

    /** Returns each post's author (index: post number, value: user index), for its comments' workspace. */
    private static int[] copyPosts(
            Connection db, long firstUser, long[] workspaces, Instant now, SplittableRandom random)
            throws SQLException, IOException {
        int[] authors = new int[POSTS];
        try (Rows rows = new Rows(
                db,
                "copy posts (author_id, workspace_id, title, body, created_at, updated_at) from stdin (format csv)")) {
            for (int n = 1; n <= POSTS; n++) {
                Instant created = now.minus(random.nextLong(365 * 24 * 3600L), ChronoUnit.SECONDS);
                int author = skewed(random, USERS);
                authors[n - 1] = author;
                rows.line(
                        firstUser + author,
                        workspaces[author],
                        sentence(random, 3, 8),
                        sentence(random, 20, 60),
                        created,
                        created);
            }
            rows.commit();
        }
        return authors;
    }

    private static void copyComments(
            Connection db,
            long firstUser,
            long firstPost,
            long[] workspaces,
            int[] postAuthors,
            Instant now,
            SplittableRandom random)
            throws SQLException, IOException {
        try (Rows rows = new Rows(
                db,
                "copy comments (post_id, workspace_id, author_id, body, created_at, updated_at) from stdin (format csv)")) {
            for (int n = 1; n <= COMMENTS; n++) {
                Instant created = now.minus(random.nextLong(365 * 24 * 3600L), ChronoUnit.SECONDS);
                int post = skewed(random, POSTS);
                rows.line(
                        firstPost + post,
                        workspaces[postAuthors[post]],
                        firstUser + random.nextInt(USERS),
                        sentence(random, 4, 25),
                        created,
                        created);
            }
            rows.commit();
        }
    }

    private static String sentence(SplittableRandom random, int min, int max) {
        int words = min + random.nextInt(max - min + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            text.append(i == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
        }
        return text.append('.').toString();
    }

    private static long[] range(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    /** CSV lines streamed into one COPY, 1 MB at a time. */
    private static final class Rows implements AutoCloseable {
        private final CopyIn copy;
        private final StringBuilder buffer = new StringBuilder(1 << 20);

        Rows(Connection db, String sql) throws SQLException {
            this.copy = db.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        }

        void line(Object... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    buffer.append(',');
                }
                String value = values[i].toString();
                // Quoted when it holds a delimiter, a quote or a line break, or is empty (unquoted empty is NULL).
                if (value.isEmpty() || value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
                    buffer.append('"').append(value.replace("\"", "\"\"")).append('"');
                } else {
                    buffer.append(value);
                }
            }
            buffer.append('\n');
            if (buffer.length() > (1 << 20) - 4096) {
                flush();
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }

        private boolean complete;

        /** Ends the COPY and keeps its rows; a {@link #close()} without it cancels them. */
        void commit() throws SQLException {
            flush();
            copy.endCopy();
            complete = true;
        }

        @Override
        public void close() throws SQLException {
            if (!complete && copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }
}
