package dev.tandem.hotpath.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import dev.tandem.hotpath.inference.Moderation;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Moderation on write, end to end: scores stored beside the text, spam held from everyone but its author and staff. */
@QuarkusTest
@WithTestResource(TestServersResource.class)
class ModerationTest {

    static final String SPAM_TITLE = "CLICK HERE to claim your FREE prize!!!";
    static final String SPAM_BODY = "Limited time offer, act now: earn $$$ from home, no experience needed, guaranteed"
            + " income. Order today and receive a free gift. Click the link below to unsubscribe from this list.";

    @Inject
    ModerationSweeper sweeper;

    @Inject
    ContentStore store;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    private final long author = TestData.insertUser("Writer", "ACTIVE");
    private final long reader = TestData.insertUser("Reader", "ACTIVE");
    private final long staff = TestData.insertUser("Moderator", "ACTIVE", "STAFF");
    // Owned by another account: an owner moderates its workspace, and these are plain members.
    private final long workspace =
            TestData.shareWorkspace(TestData.insertUser("Owner", "ACTIVE"), author, reader, staff);

    @BeforeEach
    void modelsLoaded() {
        TestData.awaitReady();
    }

    @Test
    void anOrdinaryPostIsVisibleWithItsLanguageAndScores() {
        Response created =
                post(author, "A lovely afternoon", "We walked along the river and the sun was warm. A wonderful day.");

        created.then()
                .statusCode(201)
                .body("moderation.state", equalTo("visible"))
                .body("moderation.language", equalTo("eng"))
                .body("moderation.sentiment", greaterThan(0.8f));
        long id = created.<Integer>path("id");
        assertThat(TestData.queryString("select moderation from posts where id = ?", id))
                .isEqualTo("visible");
        assertThat(TestData.queryString("select spam < 0.5 and moderated_at is not null from posts where id = ?", id))
                .isEqualTo("t");
        assertThat(feedIds(reader)).contains(id);
    }

    @Test
    void spamIsHeldShownToItsAuthorAndStaffOnlyAndNeverInTheFeed() {
        Response created = post(author, SPAM_TITLE, SPAM_BODY);
        created.then().statusCode(201).body("moderation.state", equalTo("held"));
        long id = created.<Integer>path("id");

        assertThat(TestData.queryString("select spam >= 0.9 from posts where id = ?", id))
                .isEqualTo("t");
        assertThat(feedIds(reader)).doesNotContain(id);
        assertThat(feedIds(author)).as("not in feeds, even the author's").doesNotContain(id);
        get(reader, "/api/v1/posts/" + id).then().statusCode(404);
        get(author, "/api/v1/posts/" + id).then().statusCode(200).body("moderation.state", equalTo("held"));
        get(staff, "/api/v1/posts/" + id).then().statusCode(200);
        assertThat(get(author, "/api/v1/users/" + author + "/posts").<List<Integer>>path("items.id"))
                .contains((int) id);
        assertThat(get(reader, "/api/v1/users/" + author + "/posts").<List<Integer>>path("items.id"))
                .doesNotContain((int) id);
        given().auth()
                .oauth2(TestIssuer.token(reader, "USER"))
                .contentType(ContentType.JSON)
                .body(Map.of("body", "Nice one"))
                .post("/api/v1/posts/" + id + "/comments")
                .then()
                .statusCode(404);
    }

    @Test
    void aSpamCommentIsHiddenFromOthersButNotFromItsAuthor() {
        long postId = post(author, "Our weekly meeting", "Notes from Tuesday, and the plan for next week.")
                .<Integer>path("id");
        Response spam = given().auth()
                .oauth2(TestIssuer.token(reader, "USER"))
                .contentType(ContentType.JSON)
                .body(Map.of("body", SPAM_TITLE + " " + SPAM_BODY))
                .post("/api/v1/posts/" + postId + "/comments");
        spam.then().statusCode(201).body("moderation.state", equalTo("held"));
        long commentId = spam.<Integer>path("id");

        assertThat(commentIds(author, postId)).doesNotContain(commentId);
        assertThat(commentIds(reader, postId)).contains(commentId);
        assertThat(commentIds(staff, postId)).contains(commentId);
    }

    @Test
    void aShortGreetingIsNeverHeldWhateverItsScore() {
        // The spam head scores "Hello world" 0.9995 (it learnt from emails): too few words to hold.
        Response created = post(author, "Hello", "world");

        created.then().statusCode(201).body("moderation.state", equalTo("visible"));
        assertThat(TestData.queryString("select spam > 0.5 from posts where id = ?", created.<Integer>path("id")))
                .as("the score is kept for staff")
                .isEqualTo("t");
    }

    @Test
    void anEditIsJudgedAgain() {
        Response created = post(author, "Garden club", "The roses are blooming early this year.");
        long id = created.<Integer>path("id");
        created.then().body("moderation.state", equalTo("visible"));

        given().auth()
                .oauth2(TestIssuer.token(author, "USER"))
                .contentType(ContentType.JSON)
                .body(Map.of("title", SPAM_TITLE, "body", SPAM_BODY))
                .put("/api/v1/posts/" + id)
                .then()
                .statusCode(200)
                .body("moderation.state", equalTo("held"));
        assertThat(feedIds(reader)).doesNotContain(id);
    }

    @Test
    void aHeldPostEditedWhileTheModelsAreBusyStaysHeldUntilJudged() throws java.sql.SQLException {
        long id = post(author, SPAM_TITLE, SPAM_BODY).<Integer>path("id");

        // The scheduled sweeper (every second in tests) must not judge the edit before the checks
        // below: "another instance" holds its lease meanwhile.
        try (java.sql.Connection other = dev.tandem.devstack.testing.TestServers.postgres()
                        .dataSource()
                        .getConnection();
                java.sql.PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(?)")) {
            lock.setLong(1, ModerationSweeper.LEASE);
            lock.execute();
            // The edit's verdict is pending (the models did not answer in time).
            pool.withTransaction(tx -> store.updatePost(
                            tx,
                            workspace,
                            id,
                            "Harmless now",
                            "Honest words about our garden.",
                            Moderation.Verdict.pending()))
                    .await()
                    .atMost(TestData.PATIENCE);

            assertThat(TestData.queryString("select moderation from posts where id = ?", id))
                    .isEqualTo("held");
            assertThat(feedIds(reader)).doesNotContain(id);
        }
        sweeper.sweepAll().await().atMost(TestData.PATIENCE);
        assertThat(TestData.queryString("select moderation from posts where id = ?", id))
                .as("judged again by the sweeper")
                .isEqualTo("visible");
    }

    @Test
    void pendingRowsAreScoredByTheSweeper() {
        TestData.execute(
                "insert into posts (author_id, title, body, moderation) values (?, ?, ?, 'pending')",
                author,
                SPAM_TITLE,
                SPAM_BODY);
        TestData.execute(
                "insert into posts (author_id, title, body, moderation) values (?, 'Harvest', ?, 'pending')",
                author,
                "The apple harvest was excellent; we made cider with the neighbours.");
        long spam = TestData.queryLong("select max(id) from posts where author_id = ? and title <> 'Harvest'", author);
        long ham = TestData.queryLong("select max(id) from posts where author_id = ? and title = 'Harvest'", author);

        sweeper.sweepAll().await().atMost(TestData.PATIENCE);

        assertThat(TestData.queryString("select moderation from posts where id = ?", spam))
                .isEqualTo("held");
        assertThat(TestData.queryString("select moderation || ' ' || language from posts where id = ?", ham))
                .isEqualTo("visible eng");
        assertThat(TestData.queryLong("select version from posts where id = ?", ham))
                .isEqualTo(1);
    }

    @Test
    void oneInstanceAtATimeSweeps() throws Exception {
        long id;
        try (java.sql.Connection other = dev.tandem.devstack.testing.TestServers.postgres()
                        .dataSource()
                        .getConnection();
                java.sql.PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(?)")) {
            lock.setLong(1, ModerationSweeper.LEASE);
            lock.execute(); // "another instance" is sweeping, before the row exists
            TestData.execute(
                    "insert into posts (author_id, title, body, moderation) values (?, 'Lease', ?, 'pending')",
                    author,
                    "Another instance holds the sweeper's lease, so this one waits its turn.");
            id = TestData.queryLong("select max(id) from posts where author_id = ? and title = 'Lease'", author);

            assertThat(sweeper.sweepIfLeader().await().atMost(TestData.PATIENCE))
                    .isEqualTo(-1);
            assertThat(TestData.queryString("select moderation from posts where id = ?", id))
                    .isEqualTo("pending");
        }
        // Its session ended, and with it the lease: this instance (or its own schedule) now sweeps.
        long swept = id;
        Awaitility.await().atMost(TestData.PATIENCE).untilAsserted(() -> {
            sweeper.sweepIfLeader().await().atMost(TestData.PATIENCE);
            assertThat(TestData.queryString("select moderation from posts where id = ?", swept))
                    .isEqualTo("visible");
        });
    }

    private static Response post(long user, String title, String body) {
        return given().auth()
                .oauth2(TestIssuer.token(user, "USER"))
                .contentType(ContentType.JSON)
                .body(Map.of("title", title, "body", body))
                .post("/api/v1/posts");
    }

    private static Response get(long user, String path) {
        return given().auth().oauth2(TestIssuer.token(user, role(user))).get(path);
    }

    private static String role(long user) {
        return TestData.queryString("select role from users where id = ?", user);
    }

    private static List<Long> feedIds(long viewer) {
        List<Number> ids = get(viewer, "/api/v1/posts?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .path("items.id");
        return ids.stream().map(Number::longValue).toList();
    }

    private static List<Long> commentIds(long viewer, long postId) {
        List<Number> ids = get(viewer, "/api/v1/posts/" + postId + "/comments?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .path("items.id");
        return ids.stream().map(Number::longValue).toList();
    }
}
