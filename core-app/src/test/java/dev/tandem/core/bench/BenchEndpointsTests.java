package dev.tandem.core.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.WebIntegrationTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * core-app's side of bench/ (profile bench): the same answers as hot-path's reads on the same
 * rows, guarded the same way, against the real database.
 */
@ActiveProfiles({"test", "bench"})
class BenchEndpointsTests extends WebIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aUserByIdIsPublicAndAMissingOneIsNotFound() throws Exception {
        long user = new TestAccounts(jdbc).active(TestAccounts.uniqueEmail("benched"));
        HttpResponse<String> found = get("/api/bench/users/" + user, null);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(found.body()).path("id").asLong()).isEqualTo(user);
        assertThat(get("/api/bench/users/999999999", null).statusCode()).isEqualTo(404);
        new TestAccounts(jdbc).setStatus(user, "DISABLED");
        assertThat(get("/api/bench/users/" + user, null).statusCode()).isEqualTo(404);
    }

    @Test
    void postsComeNewestFirstWithTheirFirstTenCommentsAndNeedContentRead() throws Exception {
        String email = TestAccounts.uniqueEmail("poster");
        long author = new TestAccounts(jdbc).active(email);
        for (int n = 1; n <= 22; n++) {
            jdbc.sql(
                            "insert into posts (author_id, title, body, created_at, moderation) values (?, ?, '', now() - ? * interval '1 minute', ?)")
                    .params(author, "Post " + n, n, n == 2 ? "held" : "visible")
                    .update();
        }
        long newest = jdbc.sql("select id from posts where author_id = ? and title = 'Post 1'")
                .param(author)
                .query(Long.class)
                .single();
        for (int n = 1; n <= 12; n++) {
            jdbc.sql(
                            "insert into comments (post_id, author_id, body, created_at) values (?, ?, ?, now() + ? * interval '1 second')")
                    .params(newest, author, "Comment " + n, n)
                    .update();
        }

        assertThat(get("/api/bench/users/" + author + "/posts", null).statusCode())
                .isEqualTo(401);
        HttpResponse<String> page = get("/api/bench/users/" + author + "/posts", token(email));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(page.body());
        assertThat(body.path("user").path("id").asLong()).isEqualTo(author);
        assertThat(body.path("next").isString())
                .as("21 visible posts: a next page")
                .isTrue();
        JsonNode items = body.path("items");
        assertThat(items.size()).isEqualTo(20);
        assertThat(items.get(0).path("title").asString()).isEqualTo("Post 1");
        assertThat(items.get(1).path("title").asString())
                .as("the held post is left out")
                .isEqualTo("Post 3");
        assertThat(items.get(0).path("comments").size()).isEqualTo(10);
        assertThat(items.get(0).path("comments").get(0).path("body").asString()).isEqualTo("Comment 1");
        assertThat(items.get(0).path("moreComments").asBoolean()).isTrue();
        assertThat(items.get(1).path("comments").size()).isZero();
    }

    private String token(String email) throws Exception {
        String form = "grant_type=password&username=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(TestAccounts.PASSWORD, StandardCharsets.UTF_8) + "&scope=content%3Aread";
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/auth/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body()).path("access_token").asString();
        }
    }

    private HttpResponse<String> get(String path, @Nullable String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
