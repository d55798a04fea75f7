package dev.tandem.core.content;

import static dev.tandem.core.Waits.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.WebIntegrationTest;
import dev.tandem.core.identity.mfa.TestSecondFactor;
import dev.tandem.core.messaging.DeadLetters;
import dev.tandem.schema.contracts.ContractValidator;
import dev.tandem.schema.events.CommentCreated;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.PostCreated;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * hot-path's content events reach core-app's consumer through the real broker: counters kept once
 * per event, the "new comment" mail rate-limited, a failing message retried then dead-lettered,
 * and replayed once its cause is fixed. Every sample sent is checked against its JSON Schema first.
 */
class ContentActivityTests extends WebIntegrationTest {

    private static final String QUEUE = "core.content-activity";
    /** Long enough for any redelivery still on its way to arrive (and be refused). */
    private static final Duration QUIET = Duration.ofMillis(500);

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JsonMapper json;

    @Autowired
    DeadLetters deadLetters;

    private TestAccounts accounts;

    @BeforeEach
    void accounts() {
        accounts = new TestAccounts(jdbc);
    }

    @Test
    void countersAreKeptOncePerEventHoweverOftenItArrives() {
        long author = accounts.active(TestAccounts.uniqueEmail("author"));
        long reader = accounts.active(TestAccounts.uniqueEmail("reader"));
        long post = insertPost(author, "Counted");
        long comment = insertComment(post, reader, "one");
        EventEnvelope<PostCreated> created =
                event(Events.POST_CREATED, new PostCreated(post, author, "Counted", Instant.now(), null));
        EventEnvelope<CommentCreated> commented =
                event(Events.COMMENT_CREATED, new CommentCreated(comment, post, author, reader, Instant.now(), null));

        for (int delivery = 0; delivery < 3; delivery++) { // redeliveries: one effect
            publish(created);
            publish(commented);
        }

        // No order between events (two consumers, retries): wait for every effect, which must then
        // stay as it is while any redelivery still on its way lands.
        await().alias("one post written, one comment written and received, and no more")
                .during(QUIET)
                .atMost(PATIENCE)
                .until(() -> activity(author, "posts_written") == 1
                        && activity(author, "comments_received") == 1
                        && activity(reader, "comments_written") == 1);
        assertThat(jdbc.sql("select count(*) from inbox where consumer = ? and message_id in (?, ?)")
                        .params(QUEUE, created.id().toString(), commented.id().toString())
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
        assertThat(signedIn(author).get("/dashboard").body()).contains("Comments received");
    }

    @Test
    void theNewCommentMailGoesOutAtMostOncePerInterval() {
        String email = TestAccounts.uniqueEmail("mailed");
        long author = accounts.active(email);
        long reader = accounts.active(TestAccounts.uniqueEmail("chatty"));
        long post = insertPost(author, "Mail & <tags>");
        for (String body : List.of("first remark", "second remark")) {
            long comment = insertComment(post, reader, body);
            publish(event(
                    Events.COMMENT_CREATED, new CommentCreated(comment, post, author, reader, Instant.now(), null)));
        }
        long own = insertComment(post, author, "my own reply");
        publish(event(Events.COMMENT_CREATED, new CommentCreated(own, post, author, author, Instant.now(), null)));

        var mail = mailbox().await(email, "New comment on");
        assertThat(mail.subject()).isEqualTo("New comment on “Mail & <tags>”");
        assertThat(mail.text()).contains(" remark").contains("/posts/" + post);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(activity(author, "comments_received"))
                    .as("comments received")
                    .isEqualTo(2);
            assertThat(activity(author, "comments_written"))
                    .as("comments written")
                    .isEqualTo(1);
        });
        // A second mail, were one on its way, arrives meanwhile.
        await().during(QUIET).atMost(PATIENCE).until(() -> mailbox().to(email).size() == 1);
    }

    @Test
    void aFailingMessageIsRetriedThenDeadLetteredAndReplaysOnceFixed() {
        long reader = accounts.active(TestAccounts.uniqueEmail("early"));
        long unknownAuthor = 2_000_000_000L + (System.nanoTime() % 1_000_000);
        EventEnvelope<CommentCreated> orphan =
                event(Events.COMMENT_CREATED, new CommentCreated(1, 1, unknownAuthor, reader, Instant.now(), null));

        publish(orphan);

        DeadLetters.DeadLetter dead = awaitDeadLetter(orphan.id().toString());
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.error()).contains("account_activity");
        assertThat(dead.type()).isEqualTo("comment.created");
        assertThat(activity(reader, "comments_written"))
                .as("the failed attempts left nothing behind")
                .isZero();

        jdbc.sql("insert into users (id, email, display_name, status, email_verified_at)"
                        + " values (?, ?, 'Late', 'ACTIVE', now())")
                .params(unknownAuthor, TestAccounts.uniqueEmail("late"))
                .update();
        assertThat(deadLetters.replay(QUEUE, orphan.id().toString())).isTrue();

        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(activity(unknownAuthor, "comments_received")).isEqualTo(1));
        assertThat(activity(reader, "comments_written")).isEqualTo(1);
        assertThat(deadLetters.list(QUEUE, 10_000))
                .noneMatch(letter -> letter.messageId().equals(orphan.id().toString()));
        assertThat(deadLetters.replay(QUEUE, orphan.id().toString())).isFalse();
    }

    @Test
    void anUnknownVersionIsDeadLetteredAtOnceWithTheReason() {
        long author = accounts.active(TestAccounts.uniqueEmail("future"));
        String id = java.util.UUID.randomUUID().toString();
        String body = """
                {"id":"%s","type":"post.created","version":2,"occurredAt":"2026-11-25T10:00:00Z",
                 "producer":"hot-path-service","traceparent":null,
                 "data":{"postId":1,"authorId":%d,"title":"v2","createdAt":"2026-11-25T10:00:00Z"}}""".formatted(id, author);

        rabbit.send(Events.EXCHANGE, "post.created", message(id, body));

        DeadLetters.DeadLetter dead = awaitDeadLetter(id);
        assertThat(dead.attempts()).isZero();
        assertThat(dead.error()).contains("no contract for post.created v2");
        assertThat(activity(author, "posts_written")).isZero();
        assertThat(deadLetters.discard(QUEUE, id)).isTrue();
        assertThat(deadLetters.list(QUEUE, 10_000))
                .noneMatch(letter -> letter.messageId().equals(id));
    }

    @Test
    void staffSeeAndReplayDeadLettersOnTheOpsPage() {
        String id = java.util.UUID.randomUUID().toString();
        rabbit.send(Events.EXCHANGE, "comment.created", message(id, "not json at all"));
        awaitDeadLetter(id);

        long user = accounts.active(TestAccounts.uniqueEmail("curious"));
        assertThat(signedIn(user).get("/ops/dead-letters").status()).isEqualTo(403);

        String email = TestAccounts.uniqueEmail("operator");
        accounts.active(email, "STAFF");
        TestBrowser staff = browser();
        staff.signIn(email, TestAccounts.PASSWORD);
        TestSecondFactor.enroll(staff);
        String page = staff.get("/ops/dead-letters").body();
        assertThat(page).contains(QUEUE).contains(id).contains("not JSON");

        TestBrowser.Page done = staff.post("/ops/dead-letters/discard", Map.of("queue", QUEUE, "messageId", id));
        assertThat(done.location().orElseThrow()).endsWith("/ops/dead-letters");
        assertThat(staff.get("/ops/dead-letters").body())
                .contains("was discarded")
                .doesNotContain("<code>" + id);
    }

    // --- helpers ----------------------------------------------------------------------------

    private <T> EventEnvelope<T> event(EventType<T> type, T data) {
        return EventEnvelope.of(type, Events.PRODUCER_HOT_PATH, Instant.now(), null, data);
    }

    /** Publishes as hot-path's relay does, after checking the sample against its contract. */
    private void publish(EventEnvelope<?> event) {
        String body = json.writeValueAsString(event);
        ContractValidator.assertValid(body);
        rabbit.send(Events.EXCHANGE, event.type(), message(event.id().toString(), body));
    }

    private static Message message(String id, String body) {
        return MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                .setMessageId(id)
                .setContentType("application/json")
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .build();
    }

    private long activity(long userId, String column) {
        return jdbc.sql("select coalesce(max(" + column + "), 0) from account_activity where user_id = ?")
                .param(userId)
                .query(Long.class)
                .single();
    }

    private DeadLetters.DeadLetter awaitDeadLetter(String id) {
        return await().alias("dead letter " + id)
                .atMost(PATIENCE)
                .until(
                        () -> deadLetters.list(QUEUE, 10_000).stream()
                                .filter(letter -> letter.messageId().equals(id))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    private long insertPost(long authorId, String title) {
        return jdbc.sql("insert into posts (author_id, title, body) values (?, ?, 'body') returning id")
                .params(authorId, title)
                .query(Long.class)
                .single();
    }

    private long insertComment(long postId, long authorId, String body) {
        return jdbc.sql("insert into comments (post_id, author_id, body) values (?, ?, ?) returning id")
                .params(postId, authorId, body)
                .query(Long.class)
                .single();
    }
}
