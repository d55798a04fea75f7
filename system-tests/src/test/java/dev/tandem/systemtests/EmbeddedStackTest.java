package dev.tandem.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The README's first command, end to end: devstack starts PostgreSQL, the broker and both packaged
 * services; a user signs up in core-app's web UI; hot-path-service serves that user and has
 * consumed the event core-app published about it.
 */
// Child processes and the network: a hang ends with a thread dump, not at CI's limit.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedStackTest {

    /** Bounds a real failure only: a slow machine never comes near it. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private static RunningStack stack;
    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void startTheStack() throws Exception {
        stack = new RunningStack(projectRoot());
        stack.awaitReady();
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void bothServicesReportReady() throws Exception {
        assertThat(get(stack.coreUrl() + "/actuator/health/readiness").statusCode())
                .isEqualTo(200);
        assertThat(get(stack.hotPathUrl() + "/q/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void theDemoDataIsServed() throws Exception {
        HttpResponse<String> admin = get(stack.hotPathUrl() + "/api/v1/users/1");

        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("\"displayName\":\"Tandem Admin\"").doesNotContain("@tandem.dev");
    }

    @Test
    @Order(3)
    void aUserWrittenByCoreAppIsServedByHotPathAndItsEventConsumed() throws Exception {
        String email = "e2e-" + UUID.randomUUID() + "@example.com";

        HttpResponse<String> signUp = signUp(email, "End To End", "a long enough password");

        assertThat(signUp.statusCode()).as(signUp.body()).isEqualTo(302);
        long userId = queryLong("select id from users where email = ?", email);
        HttpResponse<String> profile = get(stack.hotPathUrl() + "/api/v1/users/" + userId);
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(profile.body()).contains("\"displayName\":\"End To End\"");

        String eventId = queryString(
                "select event_id::text from outbox where event_type = 'user.registered'"
                        + " and (payload -> 'data' ->> 'userId')::bigint = ?",
                userId);
        awaitRow("select count(*) from outbox where event_id::text = ? and sent_at is not null", eventId);
        awaitConsumedByHotPath("user.registered");
    }

    @Test
    @Order(4)
    void stopsCleanlyOnCtrlC() throws Exception {
        int exit = stack.stop();

        assertThat(stack.output()).contains("devstack: stopped");
        assertThat(exit).isIn(0, 130, 143);
        assertThat(Files.exists(stack.dataDir.resolve("data/postgres/postmaster.pid")))
                .as("PostgreSQL shut down")
                .isFalse();
    }

    private HttpResponse<String> signUp(String email, String name, String password) throws Exception {
        HttpResponse<String> form = get(stack.coreUrl() + "/signup");
        Matcher csrf = CSRF.matcher(form.body());
        assertThat(csrf.find()).as("the sign-up form carries a CSRF token").isTrue();
        String body = "_csrf=" + encode(csrf.group(1)) + "&email=" + encode(email) + "&displayName=" + encode(name)
                + "&password=" + encode(password);
        return http.send(
                HttpRequest.newBuilder(URI.create(stack.coreUrl() + "/signup"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** hot-path-service counts what it consumes; the sign-up is the only user.registered event here. */
    private void awaitConsumedByHotPath(String type) {
        await().alias("hot-path-service consumed " + type)
                .atMost(PATIENCE)
                .until(() -> get(stack.hotPathUrl() + "/q/metrics")
                        .body()
                        .lines()
                        .anyMatch(line -> line.startsWith("tandem_messages_consumed_total{")
                                && line.contains("type=\"" + type + "\"")
                                && line.contains("outcome=\"applied\"")
                                && !line.endsWith(" 0.0")));
    }

    private static void awaitRow(String countQuery, Object param) {
        await().alias("a row for " + countQuery + " [" + param + "]")
                .atMost(PATIENCE)
                .until(() -> queryLong(countQuery, param) > 0);
    }

    private static long queryLong(String sql, Object param) throws SQLException {
        return Long.parseLong(queryString(sql, param));
    }

    private static String queryString(String sql, Object param) throws SQLException {
        try (Connection c = stack.database();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, param);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("devstack")) ? here : here.getParent();
    }
}
