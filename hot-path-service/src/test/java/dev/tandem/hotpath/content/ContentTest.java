package dev.tandem.hotpath.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestServersResource.class)
class ContentTest {

    @Inject
    MeterRegistry meters;

    private final long author = TestData.insertUser("Author", "ACTIVE");
    private final long stranger = TestData.insertUser("Stranger", "ACTIVE");
    private final long staff = TestData.insertUser("Moderator", "ACTIVE", "STAFF");
    private final long workspace = TestData.shareWorkspace(author, stranger, staff);

    // --- who may do what -------------------------------------------------------------------

    @Test
    void anonymousCallersMayNotReadOrWriteContent() {
        long post = createPost(author, "Hidden", "from anonymous callers");
        for (Response response : List.of(
                given().get("/api/v1/posts"),
                given().get("/api/v1/posts/" + post),
                given().get("/api/v1/posts/" + post + "/comments"),
                given().get("/api/v1/users/" + author + "/posts"),
                given().contentType(ContentType.JSON)
                        .body(Map.of("title", "t", "body", "b"))
                        .post("/api/v1/posts"),
                given().contentType(ContentType.JSON)
                        .body(Map.of("title", "t", "body", "b"))
                        .put("/api/v1/posts/" + post),
                given().delete("/api/v1/posts/" + post),
                given().contentType(ContentType.JSON)
                        .body(Map.of("body", "b"))
                        .post("/api/v1/posts/" + post + "/comments"),
                given().delete("/api/v1/comments/1"))) {
            response.then().statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void onlyTheAuthorOrStaffChangeOrDeleteAPost() {
        long post = createPost(author, "Mine", "all mine");

        as(stranger)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "Theirs", "body", "no"))
                .put("/api/v1/posts/" + post)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        as(stranger).delete("/api/v1/posts/" + post).then().statusCode(403);

        as(author)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "Still mine", "body", "edited"))
                .put("/api/v1/posts/" + post)
                .then()
                .statusCode(200)
                .body("title", equalTo("Still mine"))
                .body("version", equalTo(1));
        as(staff)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "Moderated", "body", "edited by staff"))
                .put("/api/v1/posts/" + post)
                .then()
                .statusCode(200)
                .body("version", equalTo(2));
        as(staff).delete("/api/v1/posts/" + post).then().statusCode(204);
        as(author).get("/api/v1/posts/" + post).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void commentsAreDeletedByTheirAuthorThePostsAuthorOrStaff() {
        long post = createPost(author, "Discuss", "please");
        long first = createComment(stranger, post, "first");
        long second = createComment(stranger, post, "second");
        long third = createComment(stranger, post, "third");
        long byAuthor = createComment(author, post, "by the author");

        as(stranger).delete("/api/v1/comments/" + byAuthor).then().statusCode(403);
        as(stranger).delete("/api/v1/comments/" + first).then().statusCode(204);
        as(author).delete("/api/v1/comments/" + second).then().statusCode(204);
        as(staff).delete("/api/v1/comments/" + third).then().statusCode(204);
        as(staff).delete("/api/v1/comments/" + third).then().statusCode(404);

        as(stranger)
                .get("/api/v1/posts/" + post + "/comments")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo((int) byAuthor));
    }

    @Test
    void aKeyWithoutTheWriteScopeMayReadButNotWrite() {
        String key = TestData.insertApiKey(stranger, "content:read");
        given().auth().oauth2(key).get("/api/v1/posts").then().statusCode(200);
        given().auth()
                .oauth2(key)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "t", "body", "b"))
                .post("/api/v1/posts")
                .then()
                .statusCode(403);
    }

    // --- writes ----------------------------------------------------------------------------

    @Test
    void aNewPostIsCreatedWithItsLocation() {
        Response created = as(author)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "  Hello  ", "body", "World"))
                .post("/api/v1/posts");

        created.then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/posts/"))
                .body("title", equalTo("Hello"))
                .body("authorId", equalTo((int) author))
                .body("authorName", equalTo("Author"))
                .body("version", equalTo(0));
        as(stranger).get(created.header("Location")).then().statusCode(200).body("body", equalTo("World"));
    }

    @Test
    void invalidPostsAreRefusedFieldByField() {
        as(author)
                .contentType(ContentType.JSON)
                .body(Map.of("title", " ", "body", "x".repeat(40_001)))
                .post("/api/v1/posts")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.pointer", equalTo(List.of("/body", "/title")));
        as(author)
                .contentType(ContentType.JSON)
                .body("{\"title\": 42, \"body\": {}}")
                .post("/api/v1/posts")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
        as(author)
                .contentType(ContentType.JSON)
                .body("")
                .post("/api/v1/posts")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
    }

    @Test
    void malformedOversizedAndMistypedBodiesGetTheirProblem() {
        as(author)
                .contentType(ContentType.JSON)
                .body("{\"title\": \"unfinished")
                .post("/api/v1/posts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(author)
                .contentType(ContentType.TEXT)
                .body("title=plain")
                .post("/api/v1/posts")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        as(author)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "big", "body", "x".repeat(2 * 1024 * 1024)))
                .post("/api/v1/posts")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        assertThat(TestData.queryLong("select count(*) from posts where author_id = ?", author))
                .isZero();
    }

    @Test
    void aRetriedPostWithTheSameIdempotencyKeyCreatesOneRow() {
        String key = UUID.randomUUID().toString();
        Response first = as(author)
                .header("Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "Once", "body", "only once"))
                .post("/api/v1/posts");
        Response retry = as(author)
                .header("Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "Once", "body", "only once"))
                .post("/api/v1/posts");

        first.then().statusCode(201);
        retry.then().statusCode(201).header("Idempotent-Replayed", "true").header("Location", first.header("Location"));
        assertThat(retry.jsonPath().getLong("id")).isEqualTo(first.jsonPath().getLong("id"));
        assertThat(TestData.queryLong("select count(*) from posts where author_id = ? and title = 'Once'", author))
                .isEqualTo(1);

        as(author)
                .header("Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "Other", "body", "a different request"))
                .post("/api/v1/posts")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
        as(stranger)
                .header("Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "Once", "body", "only once"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", nullValue());
        as(author)
                .header("Idempotency-Key", "spaces are not allowed")
                .contentType(ContentType.JSON)
                .body(Map.of("title", "x", "body", "y"))
                .post("/api/v1/posts")
                .then()
                .statusCode(400);
    }

    @Test
    void aStaleIfMatchIsRefused() {
        long post = createPost(author, "Versioned", "v0");
        String etag = as(author).get("/api/v1/posts/" + post).header("ETag");
        as(author)
                .header("If-Match", etag)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "v1", "body", "v1"))
                .put("/api/v1/posts/" + post)
                .then()
                .statusCode(200);

        as(author)
                .header("If-Match", etag)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "v2", "body", "lost update"))
                .put("/api/v1/posts/" + post)
                .then()
                .statusCode(412)
                .contentType("application/problem+json");
    }

    @Test
    void ifMatchFollowsRfc9110() {
        long post = createPost(author, "Matching", "v0");
        String etag = as(author).get("/api/v1/posts/" + post).header("ETag");

        as(author)
                .header("If-Match", "W/" + etag)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "t", "body", "b"))
                .put("/api/v1/posts/" + post)
                .then()
                .statusCode(412);
        as(author)
                .header("If-Match", "\"other\", " + etag)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "v1", "body", "b"))
                .put("/api/v1/posts/" + post)
                .then()
                .statusCode(200);
        as(author)
                .header("If-Match", "*")
                .contentType(ContentType.JSON)
                .body(Map.of("title", "v2", "body", "b"))
                .put("/api/v1/posts/" + post)
                .then()
                .statusCode(200)
                .body("version", equalTo(2));
        as(author)
                .header("If-Match", "no quotes")
                .contentType(ContentType.JSON)
                .body(Map.of("title", "v3", "body", "b"))
                .put("/api/v1/posts/" + post)
                .then()
                .statusCode(400);
    }

    @Test
    void unicodeSpaceIsBlankToo() {
        as(author)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "\u2003\u3000", "body", "x"))
                .post("/api/v1/posts")
                .then()
                .statusCode(422)
                .body("errors[0].pointer", equalTo("/title"));
    }

    @Test
    void aDisabledAuthorsContentIsHidden() {
        long spammer = TestData.insertUser("Spammer", "ACTIVE");
        TestData.join(workspace, spammer, "member");
        long post = createPost(spammer, "Buy now", "spam");
        long comment = createComment(spammer, createPost(author, "Clean", "post"), "more spam");
        TestData.execute("update users set status = 'DISABLED' where id = ?", spammer);

        as(stranger).get("/api/v1/posts/" + post).then().statusCode(404);
        assertThat(as(stranger).get("/api/v1/posts?limit=100").jsonPath().getList("items.id", Long.class))
                .doesNotContain(post);
        assertThat(TestData.queryLong("select count(*) from comments where id = ?", comment))
                .isEqualTo(1);
        as(stranger)
                .get("/api/v1/users/" + author + "/posts?include=comments")
                .then()
                .statusCode(200)
                .body("items[0].comments", hasSize(0));
    }

    @Test
    void aHiddenAuthorsPostTakesNoComments() {
        long spammer = TestData.insertUser("Hidden", "ACTIVE");
        TestData.join(workspace, spammer, "member");
        long post = createPost(spammer, "Soon hidden", "text");
        TestData.execute("update users set status = 'DISABLED' where id = ?", spammer);

        as(author)
                .contentType(ContentType.JSON)
                .body(Map.of("body", "hello?"))
                .post("/api/v1/posts/" + post + "/comments")
                .then()
                .statusCode(404);
        assertThat(TestData.queryLong("select count(*) from comments where post_id = ?", post))
                .isZero();
    }

    @Test
    void aCommentOnAMissingPostIs404() {
        as(author)
                .contentType(ContentType.JSON)
                .body(Map.of("body", "anyone?"))
                .post("/api/v1/posts/999999999/comments")
                .then()
                .statusCode(404);
    }

    // --- reads -----------------------------------------------------------------------------

    @Test
    void aPostHasAnETagAndAnUnchangedOneIs304() {
        long post = createPost(author, "Cached", "by clients");
        String etag = as(stranger)
                .get("/api/v1/posts/" + post)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");

        as(stranger)
                .header("If-None-Match", etag)
                .get("/api/v1/posts/" + post)
                .then()
                .statusCode(304);

        as(author)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "Changed", "body", "now"))
                .put("/api/v1/posts/" + post);
        as(stranger)
                .header("If-None-Match", etag)
                .get("/api/v1/posts/" + post)
                .then()
                .statusCode(200);
    }

    @Test
    void aUsersPostsArePagedByCursorWithLinks() {
        long writer = TestData.insertUser("Prolific", "ACTIVE");
        TestData.join(workspace, writer, "member");
        List<Long> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(createPost(writer, "Post " + i, "body " + i));
        }

        Response first = as(stranger).get("/api/v1/users/" + writer + "/posts?limit=2");
        first.then()
                .statusCode(200)
                .header("Link", containsString("rel=\"next\""))
                .body("items", hasSize(2));
        Response second = as(stranger)
                .get("/api/v1/users/" + writer + "/posts?limit=2&cursor="
                        + first.jsonPath().getString("next"));
        second.then().statusCode(200).body("items", hasSize(2));
        Response last = as(stranger)
                .get("/api/v1/users/" + writer + "/posts?limit=2&cursor="
                        + second.jsonPath().getString("next"));
        last.then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("next", nullValue())
                .header("Link", nullValue());

        List<Long> seen = new ArrayList<>();
        for (Response page : List.of(first, second, last)) {
            seen.addAll(page.jsonPath().getList("items.id", Long.class));
        }
        assertThat(seen).containsExactlyElementsOf(written.reversed());
        assertThat(first.jsonPath().getString("user.displayName")).isEqualTo("Prolific");
    }

    @Test
    void pagingEdgeCases() {
        long quiet = TestData.insertUser("Quiet", "ACTIVE");
        TestData.join(workspace, quiet, "member");
        as(stranger)
                .get("/api/v1/users/" + quiet + "/posts")
                .then()
                .statusCode(200)
                .body("items", hasSize(0))
                .body("next", nullValue());
        as(stranger).get("/api/v1/users/999999999/posts").then().statusCode(404);
        as(stranger)
                .get("/api/v1/posts?cursor=bm90LWEtY3Vyc29y")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(stranger).get("/api/v1/posts?cursor=%%%").then().statusCode(400);
        as(stranger).get("/api/v1/posts?limit=0").then().statusCode(422);
        as(stranger).get("/api/v1/posts?limit=101").then().statusCode(422);
        as(stranger)
                .get("/api/v1/users/" + quiet + "/posts?include=everything")
                .then()
                .statusCode(400);
    }

    @Test
    void theFeedShowsNewPostsFirst() {
        long older = createPost(author, "Older", "first");
        long newer = createPost(stranger, "Newer", "second");

        List<Long> ids = as(stranger).get("/api/v1/posts?limit=2").jsonPath().getList("items.id", Long.class);

        assertThat(ids).containsExactly(newer, older);
    }

    @Test
    void userPostsAndCommentsTakeTwoStatementsWhateverThePageSize() {
        long writer = TestData.insertUser("Busy", "ACTIVE");
        TestData.join(workspace, writer, "member");
        for (int i = 0; i < 12; i++) {
            long post = createPost(writer, "Post " + i, "body");
            for (int c = 0; c < (i == 11 ? 12 : 2); c++) {
                createComment(stranger, post, "comment " + c);
            }
        }
        double before = statements();

        Response response = as(stranger).get("/api/v1/users/" + writer + "/posts?include=comments&limit=12");

        assertThat(statements() - before).isEqualTo(2);
        response.then()
                .statusCode(200)
                .body("items", hasSize(12))
                .body("items[0].comments", hasSize(10))
                .body("items[0].moreComments", equalTo(true))
                .body("items[1].comments", hasSize(2))
                .body("items[1].moreComments", equalTo(false))
                .body("items[1].comments[0].authorName", equalTo("Stranger"));

        double withoutComments = statements();
        as(stranger).get("/api/v1/users/" + writer + "/posts?limit=12").then().body("items[0].comments", nullValue());
        assertThat(statements() - withoutComments).isEqualTo(1);
    }

    // --- helpers ---------------------------------------------------------------------------

    private double statements() {
        return meters.get("tandem.sql.statements")
                .tag("store", "content")
                .counter()
                .count();
    }

    private static RequestSpecification as(long userId) {
        String role =
                TestData.queryLong("select case role when 'STAFF' then 1 else 0 end from users where id = ?", userId)
                                == 1
                        ? "STAFF"
                        : "USER";
        return given().auth().oauth2(TestIssuer.token(userId, role));
    }

    private static long createPost(long userId, String title, String body) {
        return as(userId)
                .contentType(ContentType.JSON)
                .body(Map.of("title", title, "body", body))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static long createComment(long userId, long post, String body) {
        return as(userId)
                .contentType(ContentType.JSON)
                .body(Map.of("body", body))
                .post("/api/v1/posts/" + post + "/comments")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }
}
