package dev.tandem.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.devstack.Ports;
import dev.tandem.devstack.testing.TestServers;
import dev.tandem.schema.auth.ApiKeyFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The bus under faults, with both packaged services as real processes against the test PostgreSQL
 * and broker ({@code TANDEM_AMQP_URI}'s RabbitMQ in CI): 10 000 events in each direction while the
 * publishing service is killed with SIGKILL and restarted, then the consuming one, then the broker
 * is stopped for two seconds and restarted. Every effect is counted in the database: 0 lost, 0
 * twice. Rates and outbox lag go to {@code target/bus-faults.txt} (measurements, not assertions).
 */
// Child processes and the network: a hang ends with a thread dump, not at CI's limit.
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BusFaultSystemTest {

    private static final int EVENTS = 10_000;
    private static final int AUTHORS = 50;
    private static final int CLIENTS = 8;

    private static ServiceUnderTest core;
    private static ServiceUnderTest hotPath;
    private static String hotPathUrl;
    private static final List<String> report = new ArrayList<>();

    @BeforeAll
    static void startBothServices() throws Exception {
        Path root = EmbeddedStackTest.projectRoot();
        Path work = Files.createDirectories(root.resolve("system-tests/target/bus-faults"));
        int corePort = Ports.free();
        int hotPathPort = Ports.free();
        hotPathUrl = "http://localhost:" + hotPathPort;
        Map<String, String> environment = new HashMap<>(TestServers.environment());
        environment.put("SPRING_PROFILES_ACTIVE", "dev");
        environment.put("QUARKUS_PROFILE", "dev");
        environment.put("TANDEM_PUBLIC_URL", "http://localhost:" + corePort);
        environment.put("TANDEM_CORE_URL", "http://localhost:" + corePort);
        environment.put("TANDEM_HOT_PATH_URL", hotPathUrl);
        environment.put("TANDEM_FILES_DIR", work.resolve("files").toString());
        environment.put("TANDEM_RATE_LIMIT_CAPACITY", "1000000");
        environment.put("TANDEM_RATE_LIMIT_PER_MINUTE", "100000000");

        Map<String, String> coreEnvironment = new HashMap<>(environment);
        coreEnvironment.put("TANDEM_HTTP_PORT", Integer.toString(corePort));
        core = new ServiceUnderTest(
                "core-app",
                root.resolve("core-app/target/core-app.jar"),
                coreEnvironment,
                URI.create("http://localhost:" + corePort + "/actuator/health/readiness"),
                work);
        Map<String, String> hotPathEnvironment = new HashMap<>(environment);
        hotPathEnvironment.put("TANDEM_HTTP_PORT", Integer.toString(hotPathPort));
        hotPath = new ServiceUnderTest(
                "hot-path-service",
                root.resolve("hot-path-service/target/quarkus-app/quarkus-run.jar"),
                hotPathEnvironment,
                URI.create(hotPathUrl + "/q/health/ready"),
                work);
        hotPath.start();
        core.start();
    }

    @AfterAll
    static void stopBothServices() throws Exception {
        if (core != null) {
            core.close();
        }
        if (hotPath != null) {
            hotPath.close();
        }
        Files.write(
                EmbeddedStackTest.projectRoot().resolve("system-tests/target/bus-faults.txt"),
                report,
                StandardCharsets.UTF_8);
        report.forEach(System.out::println);
    }

    /**
     * hot-path → core-app: 10 000 posts through the API (each retried with its Idempotency-Key
     * until answered), their post.created events relayed from hot-path's outbox and counted by
     * core-app's consumer.
     */
    @Test
    @Order(1)
    void hotPathToCoreApp() throws Exception {
        long[] authors = new long[AUTHORS];
        String[] keys = new String[AUTHORS];
        for (int i = 0; i < AUTHORS; i++) {
            authors[i] = queryLong("insert into users (email, display_name, status, email_verified_at)"
                    + " values ('writer-' || gen_random_uuid() || '@example.com', 'Writer', 'ACTIVE', now())"
                    + " returning id");
            keys[i] = apiKey(authors[i]);
        }
        String authorList = java.util.Arrays.toString(authors).replace('[', '{').replace(']', '}');
        LongSupplier applied = () -> queryLong(
                "select coalesce(sum(posts_written), 0) from account_activity where user_id = any(?::bigint[])",
                authorList);

        AtomicInteger posted = new AtomicInteger();
        Instant start = Instant.now();
        Faults faults = new Faults(posted::get, hotPath, core);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
                HttpClient http = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            List<Future<?>> running = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int first = client;
                running.add(clients.submit(() -> {
                    for (int i = first; i < EVENTS; i += CLIENTS) {
                        post(http, keys[i % AUTHORS], "bulk-" + start.toEpochMilli() + "-" + i, i);
                        posted.incrementAndGet();
                    }
                    return null;
                }));
            }
            // The faults are injected as the writes reach their points.
            // The faults are injected from this thread; threads that fail while a service or the
            // broker is down (and recover) do not fail the wait.
            await().alias("every client wrote its posts")
                    .atMost(Duration.ofMinutes(Long.getLong("bus.faults.minutes", 5)))
                    .pollInterval(Duration.ofMillis(50))
                    .pollInSameThread()
                    .dontCatchUncaughtExceptions()
                    .until(() -> {
                        faults.step();
                        return running.stream().allMatch(Future::isDone);
                    });
            for (Future<?> future : running) {
                future.get();
            }
        }
        Instant written = Instant.now();
        double lag = awaitAll(applied, faults, "hot-path-service", "posts applied by core-app");
        faults.finish();
        Instant done = Instant.now();

        assertThat(queryLong("select count(*) from posts where author_id = any(?::bigint[])", authorList))
                .as("posts: none lost, none twice (retried POSTs carried their Idempotency-Key)")
                .isEqualTo(EVENTS);
        assertThat(applied.getAsLong())
                .as("core-app's counters: each event once")
                .isEqualTo(EVENTS);
        assertThat(queryLong(
                        "select count(*) from inbox i join outbox o on o.event_id::text = i.message_id"
                                + " where i.consumer = 'core.content-activity' and o.event_type = 'post.created'"
                                + " and (o.payload -> 'data' ->> 'authorId')::bigint = any(?::bigint[])",
                        authorList))
                .isEqualTo(EVENTS);
        report.add(String.format(
                "hot-path -> core-app: %d posts written through the API in %.1f s, all %d post.created applied by"
                        + " core-app after %.1f s (%.0f events/s end to end) while %s; largest hot-path outbox lag %.1f s",
                EVENTS,
                seconds(start, written),
                EVENTS,
                seconds(start, done),
                EVENTS / seconds(start, done),
                faults,
                lag));
    }

    /**
     * core-app → hot-path: 10 000 user.deleted events in core-app's outbox (accounts closed with a
     * post each), relayed by core-app and applied by hot-path's erasure consumer.
     */
    @Test
    @Order(2)
    void coreAppToHotPath() throws Exception {
        String run = Long.toString(System.currentTimeMillis());
        execute("insert into users (email, display_name, status)"
                + " select 'gone-' || g || '-" + run + "@example.com', 'Gone', 'DELETED' from generate_series(1, "
                + EVENTS + ") g");
        execute("insert into posts (author_id, title, body) select id, 'to erase', 'text' from users"
                + " where email like 'gone-%-" + run + "@example.com'");
        String remaining = "select count(*) from posts p join users u on u.id = p.author_id"
                + " where u.email like 'gone-%-" + run + "@example.com'";
        long others = queryLong("select count(*) from posts") - queryLong(remaining);

        Instant start = Instant.now();
        // What closing 10 000 accounts leaves in core-app's outbox, written at once.
        execute("insert into outbox (event_id, producer, event_type, event_version, routing_key, payload)"
                + " select e.id, 'core-app', 'user.deleted', 1, 'user.deleted', jsonb_build_object("
                + "'id', e.id, 'type', 'user.deleted', 'version', 1, 'occurredAt', e.at, 'producer', 'core-app',"
                + " 'traceparent', null, 'data', jsonb_build_object('userId', e.user_id, 'deletedAt', e.at))"
                + " from (select gen_random_uuid() as id, u.id as user_id,"
                + " to_char(now() at time zone 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') as at from users u"
                + " where u.email like 'gone-%-" + run + "@example.com') e");
        LongSupplier erased = () -> EVENTS - queryLong(remaining);
        Faults faults = new Faults(erased, core, hotPath);
        double lag = awaitAll(erased, faults, "core-app", "accounts erased by hot-path");
        faults.finish();
        Instant done = Instant.now();

        assertThat(queryLong(remaining))
                .as("every closed account's post erased")
                .isZero();
        assertThat(queryLong("select count(*) from posts"))
                .as("nothing else erased")
                .isEqualTo(others);
        assertThat(queryLong("select count(*) from inbox i join outbox o on o.event_id::text = i.message_id"
                        + " join users u on u.id = (o.payload -> 'data' ->> 'userId')::bigint"
                        + " where i.consumer = 'hot-path.account-erasure' and u.email like 'gone-%-" + run
                        + "@example.com'"))
                .as("each event applied once")
                .isEqualTo(EVENTS);
        report.add(String.format(
                "core-app -> hot-path: %d user.deleted relayed and applied in %.1f s (%.0f events/s end to end)"
                        + " while %s; largest core-app outbox lag %.1f s",
                EVENTS, seconds(start, done), EVENTS / seconds(start, done), faults, lag));
    }

    /**
     * The faults of a run, by progress: at 30 % the publisher is killed (SIGKILL) and restarted,
     * at 60 % the consumer, at 80 % the broker is stopped for two seconds.
     */
    private static final class Faults {
        private final LongSupplier progress;
        private final ServiceUnderTest publisher;
        private final ServiceUnderTest consumer;
        private int done;

        Faults(LongSupplier progress, ServiceUnderTest publisher, ServiceUnderTest consumer) {
            this.progress = progress;
            this.publisher = publisher;
            this.consumer = consumer;
        }

        void step() throws Exception {
            long now = progress.getAsLong();
            if (done == 0 && now >= EVENTS * 3 / 10) {
                done++;
                publisher.kill();
                publisher.start();
            } else if (done == 1 && now >= EVENTS * 6 / 10) {
                done++;
                consumer.kill();
                consumer.start();
            } else if (done == 2 && now >= EVENTS * 8 / 10) {
                done++;
                TestServers.restartBroker(Duration.ofSeconds(2));
            }
        }

        void finish() {
            assertThat(done).as("all three faults happened mid-run").isEqualTo(3);
        }

        @Override
        public String toString() {
            return publisher + " (publisher) and " + consumer + " (consumer) were killed with SIGKILL and restarted"
                    + " and the broker was down for 2 s";
        }
    }

    /** Waits until all events took effect (injecting the faults on the way); returns the largest outbox lag seen. */
    private static double awaitAll(LongSupplier applied, Faults faults, String producer, String what) throws Exception {
        double[] lag = {0};
        try {
            await().atMost(Duration.ofMinutes(Long.getLong("bus.faults.minutes", 5)))
                    .pollInterval(Duration.ofMillis(100))
                    .pollInSameThread()
                    .dontCatchUncaughtExceptions()
                    .until(() -> {
                        faults.step();
                        lag[0] = Math.max(
                                lag[0],
                                queryDouble(
                                        "select coalesce(extract(epoch from now() - min(created_at)), 0)::float8"
                                                + " from outbox where producer = ? and sent_at is null",
                                        producer));
                        return applied.getAsLong() >= EVENTS;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    what + ": " + applied.getAsLong() + " of " + EVENTS + " in time; " + producer + " has "
                            + queryLong("select count(*) from outbox where producer = ? and sent_at is null", producer)
                            + " events unsent, last error: "
                            + queryString(
                                    "select coalesce(max(last_error), 'none') from outbox where producer = ?",
                                    producer),
                    e);
        }
        // A redelivery still on its way lands meanwhile, and must change nothing (a check that can
        // only miss a late duplicate on a slow machine, never fail on one).
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofMinutes(1))
                .dontCatchUncaughtExceptions()
                .until(() -> applied.getAsLong() == EVENTS);
        return lag[0];
    }

    private static void post(HttpClient http, String key, String idempotencyKey, int n) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(hotPathUrl + "/api/v1/posts"))
                .header("Authorization", "Bearer " + key)
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"title\": \"Bulk " + n + "\", \"body\": \"written under faults\"}"))
                .build();
        // While a service is down (killed, restarting) the client tries again, with the same key.
        await().alias("POST " + idempotencyKey + " answered")
                .atMost(Duration.ofMinutes(2))
                .pollDelay(Duration.ZERO) // the first attempt at once, as a client sends
                .pollInterval(Duration.ofMillis(200))
                .pollInSameThread()
                .dontCatchUncaughtExceptions()
                .until(() -> created(http, request));
    }

    /** Whether the POST was answered with success; false while the service is down or overloaded. */
    private static boolean created(HttpClient http, HttpRequest request) throws InterruptedException {
        try {
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status < 500 && status != 429 && status != 201 && status != 200) {
                throw new AssertionError("POST answered " + status);
            }
            return status == 201 || status == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static String apiKey(long userId) throws SQLException {
        ApiKeyFormat.ApiKey key = ApiKeyFormat.generate();
        try (Connection c = TestServers.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("insert into api_keys (id, user_id, name, secret_hash, scopes)"
                        + " values (?, ?, 'bus faults', ?, array['content:write'])")) {
            s.setString(1, key.id());
            s.setLong(2, userId);
            s.setBytes(3, ApiKeyFormat.hash(key.secret()));
            s.executeUpdate();
        }
        return key.value();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = TestServers.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.execute();
        }
    }

    private static long queryLong(String sql, Object... params) {
        return query(sql, rs -> rs.getLong(1), params);
    }

    private static double queryDouble(String sql, Object... params) {
        return query(sql, rs -> rs.getDouble(1), params);
    }

    private static String queryString(String sql, Object... params) {
        return query(sql, rs -> rs.getString(1), params);
    }

    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The first column of the first row. */
    private static <T> T query(String sql, Column<T> column, Object... params) {
        try (Connection c = TestServers.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return column.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
