package dev.tandem.hotpath.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
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

/** Similar posts by the encoder's vectors: stored with the post, searched in memory, read through visibility. */
@QuarkusTest
@WithTestResource(TestServersResource.class)
class SimilarPostsTest {

    @Inject
    SimilarPosts similar;

    private final long author = TestData.insertUser("Cook", "ACTIVE");
    private final long reader = TestData.insertUser("Diner", "ACTIVE");
    private final long workspace = TestData.shareWorkspace(author, reader);

    @BeforeEach
    void modelsLoaded() {
        TestData.awaitReady();
    }

    @Test
    void findsThePostsAboutTheSameThingBestFirst() {
        long pasta = post("Fresh pasta at home", "Flour, eggs and a rolling pin: homemade tagliatelle in an hour.");
        long ravioli = post("Ravioli night", "We filled handmade pasta with ricotta and spinach for dinner.");
        long pizza = post("Sourdough pizza", "A long-fermented dough, a hot oven and good tomatoes make the pizza.");
        long index = post("Postgres indexes", "A B-tree index on the foreign key made the join twenty times faster.");
        long vacuum = post("Autovacuum tuning", "Our database bloated until we tuned autovacuum for the busy tables.");
        awaitIndexed(vacuum);

        List<Integer> ids = similarIds(pasta, 4);

        assertThat(ids.subList(0, 2)).containsExactlyInAnyOrder((int) ravioli, (int) pizza);
        assertThat(ids).doesNotContain((int) pasta);
        List<Integer> databases = similarIds(index, 1);
        assertThat(databases).containsExactly((int) vacuum);
        Response answer = get(reader, "/api/v1/posts/" + pasta + "/similar?limit=2");
        assertThat(answer.<Float>path("items[0].similarity")).isBetween(0.5f, 1.0f);
        assertThat(answer.<String>path("items[0].post.authorName")).isEqualTo("Cook");
    }

    @Test
    void heldPostsAreNeverSuggested() {
        long garden = post("Tomato seedlings", "Our tomato seedlings are ready to go out into the garden beds.");
        long held = post("Garden tomatoes", "Planting tomatoes in raised garden beds this spring, with compost.");
        TestData.execute("update posts set moderation = 'held' where id = ?", held);
        awaitIndexed(held);

        assertThat(similarIds(garden, 50)).doesNotContain((int) held);
    }

    @Test
    void aPostWrittenBeforeVectorsWereKeptGetsOneWhenAsked() {
        TestData.execute(
                "insert into posts (author_id, workspace_id, title, body)"
                        + " values (?, ?, 'Old post', 'Written before the vectors.')",
                author,
                workspace);
        long old = TestData.queryLong("select max(id) from posts where author_id = ?", author);

        get(reader, "/api/v1/posts/" + old + "/similar").then().statusCode(200);

        assertThat(TestData.queryLong("select count(*) from post_embeddings where post_id = ?", old))
                .isEqualTo(1);
    }

    @Test
    void refusesUnknownPostsAndBadLimits() {
        get(reader, "/api/v1/posts/999999999/similar").then().statusCode(404);
        long any = post("Anything", "Something to compare with.");
        get(reader, "/api/v1/posts/" + any + "/similar?limit=0").then().statusCode(422);
        get(reader, "/api/v1/posts/" + any + "/similar?limit=51").then().statusCode(422);
    }

    private long post(String title, String body) {
        return given().auth()
                .oauth2(TestIssuer.token(author, "USER"))
                .contentType(ContentType.JSON)
                .body(Map.of("title", title, "body", body))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .<Integer>path("id")
                .longValue();
    }

    private void awaitIndexed(long postId) {
        Awaitility.await()
                .alias("post " + postId + " in the index")
                .atMost(TestData.PATIENCE)
                .until(() -> {
                    similar.catchUp().await().atMost(TestData.PATIENCE);
                    return similar.contains(postId);
                });
    }

    private List<Integer> similarIds(long postId, int limit) {
        return get(reader, "/api/v1/posts/" + postId + "/similar?limit=" + limit)
                .then()
                .statusCode(200)
                .extract()
                .path("items.post.id");
    }

    private static Response get(long user, String path) {
        return given().auth().oauth2(TestIssuer.token(user, "USER")).get(path);
    }
}
