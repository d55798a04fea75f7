package dev.tandem.hotpath.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.tandem.devstack.testing.TestServers;
import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import dev.tandem.schema.contracts.ContractValidator;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UserDeleted;
import dev.tandem.schema.events.WorkspaceDeleted;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * user.deleted and workspace.deleted reach hot-path's durable erasure consumers through the real
 * broker: what the account wrote, or what the workspace held, is removed once however often the
 * event arrives; a failing erasure is retried, then dead-lettered with its error; a message
 * without a contract is dead-lettered at once.
 */
@QuarkusTest
@WithTestResource(TestServersResource.class)
class ErasureTest {

    @org.junit.jupiter.api.BeforeEach
    void ready() {
        TestData.awaitReady();
    }

    private static final String QUEUE = "hot-path.account-erasure";
    private static final String WORKSPACE_QUEUE = "hot-path.workspace-erasure";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void aClosedAccountsContentIsErasedOnceWithItsFiles() throws Exception {
        long closing = TestData.insertUser("Leaving", "ACTIVE");
        long staying = TestData.insertUser("Staying", "ACTIVE");
        TestData.shareWorkspace(staying, closing);
        long ownPost = post(closing, "Mine");
        long otherPost = post(staying, "Theirs");
        comment(staying, ownPost, "reply on the leaving account's post");
        comment(closing, otherPost, "the leaving account's comment");
        long keptComment = comment(staying, otherPost, "kept");
        String file = given().auth()
                .oauth2(TestIssuer.token(closing, "USER"))
                .contentType("application/octet-stream")
                .queryParam("name", "notes.txt")
                .body("private notes".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/files")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        Path stored = Path.of("target/test-files")
                .resolve(TestData.queryString("select storage_key from attachments where id = ?::uuid", file));
        assertThat(stored).exists();
        TestData.execute("update users set status = 'DELETED' where id = ?", closing);

        EventEnvelope<UserDeleted> event = deleted(closing);
        publish(event);
        publish(event); // redelivered: no second effect

        await(() -> count("select count(*) from posts where author_id = ?", closing) == 0
                && count("select count(*) from comments where author_id = ?", closing) == 0
                && count("select count(*) from attachments where owner_id = ?", closing) == 0);
        assertThat(count("select count(*) from comments where post_id = ?", ownPost))
                .isZero();
        assertThat(count("select count(*) from comments where id = ?", keptComment))
                .isEqualTo(1);
        assertThat(count("select count(*) from posts where author_id = ?", staying))
                .isEqualTo(1);
        await(() -> !Files.exists(stored));
        // The redelivery, were it still on its way, lands meanwhile and must add nothing.
        Awaitility.await()
                .during(Duration.ofMillis(500))
                .atMost(TestData.PATIENCE)
                .until(() -> TestData.queryLong(
                                "select count(*) from inbox where consumer = ? and message_id = ?",
                                QUEUE,
                                event.id().toString())
                        == 1);
    }

    @Test
    void anAccountThatIsNotClosedIsRetriedThenDeadLettered() throws Exception {
        long active = TestData.insertUser("Still here", "ACTIVE");
        long kept = post(active, "Must stay");
        EventEnvelope<UserDeleted> premature = deleted(active);

        publish(premature);

        GetResponse dead = awaitDeadLetter(premature.id().toString());
        Map<String, Object> headers = dead.getProps().getHeaders();
        assertThat(((Number) headers.get("x-tandem-attempts")).intValue()).isEqualTo(3);
        assertThat(String.valueOf(headers.get("x-tandem-error"))).contains("is ACTIVE, not closed");
        assertThat(count("select count(*) from posts where id = ?", kept)).isEqualTo(1);
    }

    @Test
    void anUnknownVersionIsDeadLetteredAtOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String body = """
                {"id":"%s","type":"user.deleted","version":9,"occurredAt":"2026-11-25T10:00:00Z",
                 "producer":"core-app","traceparent":null,"data":{"userId":1,"deletedAt":"2026-11-25T10:00:00Z"}}""".formatted(id);

        send(id, body);

        GetResponse dead = awaitDeadLetter(id);
        assertThat(((Number) dead.getProps().getHeaders().get("x-tandem-attempts")).intValue())
                .isZero();
        assertThat(String.valueOf(dead.getProps().getHeaders().get("x-tandem-error")))
                .contains("no contract for user.deleted v9");
    }

    @Test
    void aClosedWorkspacesDataIsErasedOnceAndOtherWorkspacesKeepTheirs() throws Exception {
        long member = TestData.insertUser("Team member", "ACTIVE");
        long personalPost = post(member, "Personal");
        long team = TestData.insertWorkspace(member);
        long teamPost = post(member, "In the team");
        long teamComment = comment(member, teamPost, "on the team's post");
        // A metric of its own: the API calls above are metered too, and flushed whenever the flush runs.
        TestData.execute(
                "insert into usage_counters (user_id, workspace_id, day, metric, quantity) values (?, ?, current_date,"
                        + " 'test.workspace_erasure', 5)",
                member,
                team);
        TestData.execute("update workspaces set deleted_at = now() where id = ?", team);

        EventEnvelope<WorkspaceDeleted> event = EventEnvelope.of(
                Events.WORKSPACE_DELETED,
                Events.PRODUCER_CORE_APP,
                Instant.now(),
                null,
                new WorkspaceDeleted(team, Instant.now()));
        publish(event);
        publish(event);

        // Only the test's own metric: the API calls that made the post are flushed whenever the
        // flush runs, possibly after the erasure.
        await(() -> count("select count(*) from posts where workspace_id = ?", team) == 0
                && count(
                                "select count(*) from usage_counters where workspace_id = ?"
                                        + " and metric = 'test.workspace_erasure'",
                                team)
                        == 0);
        assertThat(count("select count(*) from comments where id = ?", teamComment))
                .isZero();
        assertThat(count("select count(*) from posts where id = ?", personalPost))
                .isEqualTo(1);
        Awaitility.await()
                .during(Duration.ofMillis(500))
                .atMost(TestData.PATIENCE)
                .until(() -> TestData.queryLong(
                                "select count(*) from inbox where consumer = ? and message_id = ?",
                                WORKSPACE_QUEUE,
                                event.id().toString())
                        == 1);
    }

    @Test
    void anOpenWorkspaceIsRetriedThenDeadLetteredWithNothingErased() throws Exception {
        long member = TestData.insertUser("Open team", "ACTIVE");
        long team = TestData.queryLong(
                "insert into workspaces (name, slug) values ('Open', ?) returning id",
                "open-" + UUID.randomUUID().toString().substring(0, 8));
        long kept = post(member, "Must stay");
        TestData.execute("update posts set workspace_id = ? where id = ?", team, kept);
        EventEnvelope<WorkspaceDeleted> premature = EventEnvelope.of(
                Events.WORKSPACE_DELETED,
                Events.PRODUCER_CORE_APP,
                Instant.now(),
                null,
                new WorkspaceDeleted(team, Instant.now()));

        publish(premature);

        GetResponse dead = awaitDeadLetter(WORKSPACE_QUEUE, premature.id().toString());
        assertThat(String.valueOf(dead.getProps().getHeaders().get("x-tandem-error")))
                .contains("is open, not closed");
        assertThat(count("select count(*) from posts where id = ?", kept)).isEqualTo(1);
    }

    // --- helpers ----------------------------------------------------------------------------

    private static EventEnvelope<UserDeleted> deleted(long userId) {
        return EventEnvelope.of(
                Events.USER_DELETED,
                Events.PRODUCER_CORE_APP,
                Instant.now(),
                null,
                new UserDeleted(userId, Instant.now()));
    }

    private static void publish(EventEnvelope<?> event) throws Exception {
        String body = JSON.writeValueAsString(event);
        ContractValidator.assertValid(body);
        send(event.id().toString(), event.type(), body);
    }

    private static void send(String id, String body) throws Exception {
        send(id, "user.deleted", body);
    }

    private static void send(String id, String routingKey, String body) throws Exception {
        try (Connection connection = factory().newConnection();
                Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.exchangeDeclare(Events.EXCHANGE, "topic", true); // as any publisher does
            channel.basicPublish(
                    Events.EXCHANGE,
                    routingKey,
                    new AMQP.BasicProperties.Builder()
                            .messageId(id)
                            .contentType("application/json")
                            .deliveryMode(2)
                            .build(),
                    body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    /** The dead letter with this id; the others are given back to the queue untouched. */
    private static GetResponse awaitDeadLetter(String id) throws Exception {
        return awaitDeadLetter(QUEUE, id);
    }

    private static GetResponse awaitDeadLetter(String queue, String id) throws Exception {
        try (Connection connection = factory().newConnection()) {
            return Awaitility.await()
                    .alias("dead letter " + id)
                    .atMost(TestData.PATIENCE)
                    .until(() -> takeDeadLetter(connection, queue, id), Objects::nonNull);
        }
    }

    private static GetResponse takeDeadLetter(Connection connection, String queue, String id) throws Exception {
        try (Channel channel = connection.createChannel()) {
            GetResponse message;
            while ((message = channel.basicGet(queue + ".dlq", false)) != null) {
                if (id.equals(message.getProps().getMessageId())) {
                    channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                    return message;
                }
            }
            return null;
        }
    }

    private static ConnectionFactory factory() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestServers.amqpUri());
        return factory;
    }

    private static long post(long author, String title) {
        return given().auth()
                .oauth2(TestIssuer.token(author, "USER"))
                .contentType(ContentType.JSON)
                .body(Map.of("title", title, "body", "text"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static long comment(long author, long post, String body) {
        return given().auth()
                .oauth2(TestIssuer.token(author, "USER"))
                .contentType(ContentType.JSON)
                .body(Map.of("body", body))
                .post("/api/v1/posts/" + post + "/comments")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static long count(String sql, Object... params) {
        return TestData.queryLong(sql, params);
    }

    private static void await(Callable<Boolean> condition) {
        Awaitility.await().atMost(TestData.PATIENCE).until(condition);
    }
}
