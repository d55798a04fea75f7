package dev.tandem.hotpath.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workspace isolation, generated from the API's route list: every operation of the served OpenAPI
 * document (which {@link OpenApiDocumentTest} holds equal to the committed one) must have an entry
 * in {@link #ROUTES}, and every route about one object is called by a member of workspace B with
 * the ids of workspace A's objects. Each answer must be the 404 a missing id gets, body for body;
 * A's objects are all still there afterwards. A route added to the API without an entry here
 * fails {@link #everyRouteOfTheApiIsInTheTable}, naming it.
 */
@QuarkusTest
@WithTestResource(TestServersResource.class)
class WorkspaceIsolationTest {

    /** How a route relates to workspaces. */
    enum Kind {
        /** Names one object of a workspace: another workspace's id is a 404, exactly as a missing one. */
        OBJECT,
        /** Lists the caller's workspace's objects: none of another workspace's appear. */
        LIST,
        /** Creates an object: it lands in the caller's workspace. */
        CREATE,
        /** About no workspace's object (the caller itself, the models, a computation): nothing to isolate. */
        NOT_AN_OBJECT,
        /** Public by design, and shows no workspace's data (see the route's reason). */
        PUBLIC
    }

    /**
     * One route: its kind; the path it is called at for workspace A's object, and for an id that
     * exists nowhere; what the request carries; whether a workspace's viewer is refused it (a
     * write); and for the kinds that are not isolated, why.
     */
    record Route(
            Kind kind,
            Function<Fixture, String> target,
            Function<Fixture, String> missing,
            UnaryOperator<RequestSpecification> request,
            boolean write,
            String why) {

        static Route object(Function<Fixture, String> target, Function<Fixture, String> missing, boolean write) {
            return new Route(Kind.OBJECT, target, missing, UnaryOperator.identity(), write, "");
        }

        Route with(UnaryOperator<RequestSpecification> request) {
            return new Route(kind, target, missing, request, write, why);
        }

        static Route of(Kind kind, String path, boolean write, String why) {
            return new Route(kind, f -> path, f -> path, UnaryOperator.identity(), write, why);
        }
    }

    /** Workspace A's objects, made once: alice (owner of A) wrote them; bob owns B; vera views A. */
    record Fixture(
            long alice,
            long bob,
            long vera,
            long workspaceA,
            long workspaceB,
            long post,
            long comment,
            String file,
            String job) {}

    private static final long NO_SUCH_ID = 987_654_321_987L;
    private static final String NO_SUCH_UUID = "00000000-0000-4000-8000-000000000000";

    private static final UnaryOperator<RequestSpecification> POST_BODY =
            r -> r.contentType(ContentType.JSON).body(Map.of("title", "Isolated", "body", "A post."));
    private static final UnaryOperator<RequestSpecification> COMMENT_BODY =
            r -> r.contentType(ContentType.JSON).body(Map.of("body", "A comment."));
    private static final UnaryOperator<RequestSpecification> TEXTS_BODY =
            r -> r.contentType(ContentType.JSON).body(Map.of("input", List.of("Great service.")));
    private static final UnaryOperator<RequestSpecification> JOB_BODY =
            r -> r.contentType(ContentType.JSON).body(Map.of("model", "sentiment", "texts", List.of("Great service.")));
    private static final UnaryOperator<RequestSpecification> FILE_BODY =
            r -> r.contentType("text/plain").body("isolated bytes".getBytes()).queryParam("name", "isolated.txt");

    /** Every operation of the API, by "METHOD path" as in the OpenAPI document. */
    static final Map<String, Route> ROUTES = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /api/v1/posts", Route.of(Kind.LIST, "/api/v1/posts", false, "")),
            Map.entry(
                    "POST /api/v1/posts",
                    Route.of(Kind.CREATE, "/api/v1/posts", true, "").with(POST_BODY)),
            Map.entry(
                    "GET /api/v1/posts/{id}",
                    Route.object(f -> "/api/v1/posts/" + f.post(), f -> "/api/v1/posts/" + NO_SUCH_ID, false)),
            Map.entry(
                    "PUT /api/v1/posts/{id}",
                    Route.object(f -> "/api/v1/posts/" + f.post(), f -> "/api/v1/posts/" + NO_SUCH_ID, true)
                            .with(POST_BODY)),
            Map.entry(
                    "DELETE /api/v1/posts/{id}",
                    Route.object(f -> "/api/v1/posts/" + f.post(), f -> "/api/v1/posts/" + NO_SUCH_ID, true)),
            Map.entry(
                    "GET /api/v1/posts/{id}/comments",
                    Route.object(
                            f -> "/api/v1/posts/" + f.post() + "/comments",
                            f -> "/api/v1/posts/" + NO_SUCH_ID + "/comments",
                            false)),
            Map.entry(
                    "POST /api/v1/posts/{id}/comments",
                    Route.object(
                                    f -> "/api/v1/posts/" + f.post() + "/comments",
                                    f -> "/api/v1/posts/" + NO_SUCH_ID + "/comments",
                                    true)
                            .with(COMMENT_BODY)),
            Map.entry(
                    "GET /api/v1/posts/{id}/similar",
                    Route.object(
                            f -> "/api/v1/posts/" + f.post() + "/similar",
                            f -> "/api/v1/posts/" + NO_SUCH_ID + "/similar",
                            false)),
            Map.entry(
                    "DELETE /api/v1/comments/{id}",
                    Route.object(f -> "/api/v1/comments/" + f.comment(), f -> "/api/v1/comments/" + NO_SUCH_ID, true)),
            Map.entry(
                    "GET /api/v1/users/{id}/posts",
                    Route.object(
                            f -> "/api/v1/users/" + f.alice() + "/posts",
                            f -> "/api/v1/users/" + NO_SUCH_ID + "/posts",
                            false)),
            Map.entry(
                    "GET /api/v1/users/{id}",
                    Route.of(
                            Kind.PUBLIC,
                            "/api/v1/users/{id}",
                            false,
                            "a public profile (id, display name, member since), readable without signing in: the"
                                    + " seeds' anonymous 'user by id' read; it shows nothing of any workspace")),
            Map.entry("GET /api/v1/files", Route.of(Kind.LIST, "/api/v1/files", false, "")),
            Map.entry(
                    "POST /api/v1/files",
                    Route.of(Kind.CREATE, "/api/v1/files", true, "").with(FILE_BODY)),
            Map.entry(
                    "GET /api/v1/files/{id}",
                    Route.object(f -> "/api/v1/files/" + f.file(), f -> "/api/v1/files/" + NO_SUCH_UUID, false)),
            Map.entry(
                    "DELETE /api/v1/files/{id}",
                    Route.object(f -> "/api/v1/files/" + f.file(), f -> "/api/v1/files/" + NO_SUCH_UUID, true)),
            Map.entry(
                    "POST /api/v1/inference/jobs",
                    Route.of(Kind.CREATE, "/api/v1/inference/jobs", true, "").with(JOB_BODY)),
            Map.entry(
                    "GET /api/v1/inference/jobs/{id}",
                    Route.object(
                            f -> "/api/v1/inference/jobs/" + f.job(),
                            f -> "/api/v1/inference/jobs/" + NO_SUCH_UUID,
                            false)),
            Map.entry(
                    "POST /api/v1/inference/{model}",
                    Route.of(
                                    Kind.NOT_AN_OBJECT,
                                    "/api/v1/inference/sentiment",
                                    false,
                                    "{model} names a model, the same for every workspace; the texts are the body")
                            .with(TEXTS_BODY)),
            Map.entry(
                    "POST /api/v1/embeddings",
                    Route.of(Kind.NOT_AN_OBJECT, "/api/v1/embeddings", false, "a computation over the body's texts")
                            .with(TEXTS_BODY)),
            Map.entry(
                    "GET /api/v1/models",
                    Route.of(Kind.NOT_AN_OBJECT, "/api/v1/models", false, "the models, the same for everyone")),
            Map.entry(
                    "GET /api/v1/me",
                    Route.of(Kind.NOT_AN_OBJECT, "/api/v1/me", false, "the caller's own account and grants"))));

    private final ObjectMapper json = new ObjectMapper();
    private static Fixture a;
    private static String bobToken;
    private static String bobKey;

    @BeforeEach
    void workspaceAWithOneOfEverything() {
        if (a != null) {
            return;
        }
        TestData.awaitReady();
        long alice = TestData.insertUser("Alice", "ACTIVE");
        long bob = TestData.insertUser("Bob", "ACTIVE");
        long vera = TestData.insertUser("Vera", "ACTIVE");
        long workspaceA = TestData.insertWorkspace(alice);
        long workspaceB = TestData.insertWorkspace(bob);
        TestData.join(workspaceA, vera, "viewer");
        String alices = TestIssuer.tokenIn(alice, workspaceA, "owner");
        long post = POST_BODY
                .apply(given().auth().oauth2(alices))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .<Integer>path("id");
        long comment = COMMENT_BODY
                .apply(given().auth().oauth2(alices))
                .post("/api/v1/posts/" + post + "/comments")
                .then()
                .statusCode(201)
                .extract()
                .<Integer>path("id");
        String file = FILE_BODY
                .apply(given().auth().oauth2(alices))
                .post("/api/v1/files")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String job = JOB_BODY.apply(given().auth().oauth2(alices))
                .post("/api/v1/inference/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        a = new Fixture(alice, bob, vera, workspaceA, workspaceB, post, comment, file, job);
        bobToken = TestIssuer.tokenIn(bob, workspaceB, "owner");
        bobKey = TestData.insertApiKeyIn(
                workspaceB,
                bob,
                "profile:read",
                "content:read",
                "content:write",
                "files:read",
                "files:write",
                "inference");
    }

    @Test
    void everyRouteOfTheApiIsInTheTable() throws IOException {
        Set<String> served = new TreeSet<>();
        Set<String> documentedNotFound = new TreeSet<>();
        JsonNode paths =
                json.readTree(given().get("/q/openapi?format=json").asString()).path("paths");
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            path.getValue().properties().forEach(operation -> {
                String method = operation.getKey();
                if (Set.of("get", "put", "post", "delete", "patch", "head").contains(method)) {
                    String name = method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
                    served.add(name);
                    if (operation.getValue().path("responses").has("404")) {
                        documentedNotFound.add(name);
                    }
                }
            });
        }

        assertThat(served)
                .as("routes of the API without an entry in WorkspaceIsolationTest.ROUTES (say how each is isolated)")
                .isSubsetOf(ROUTES.keySet());
        assertThat(ROUTES.keySet())
                .as("entries of WorkspaceIsolationTest.ROUTES for routes the API no longer has")
                .isSubsetOf(served);
        assertThat(ROUTES.values())
                .filteredOn(route -> route.kind() == Kind.PUBLIC || route.kind() == Kind.NOT_AN_OBJECT)
                .allSatisfy(route -> assertThat(route.why())
                        .as("the reason a route is not isolated")
                        .isNotBlank());
        assertThat(documentedNotFound)
                .as("every route about one object documents its 404")
                .containsAll(ROUTES.entrySet().stream()
                        .filter(route -> route.getValue().kind() == Kind.OBJECT)
                        .map(Map.Entry::getKey)
                        .toList());
    }

    @Test
    void anotherWorkspacesObjectsAreNotFoundWithAToken() {
        anotherWorkspacesObjectsAreNotFound(r -> r.auth().oauth2(bobToken));
    }

    @Test
    void anotherWorkspacesObjectsAreNotFoundWithAnApiKey() {
        anotherWorkspacesObjectsAreNotFound(r -> r.auth().oauth2(bobKey));
    }

    private void anotherWorkspacesObjectsAreNotFound(UnaryOperator<RequestSpecification> asBob) {
        List<String> checked = new ArrayList<>();
        ROUTES.forEach((operation, route) -> {
            String method = operation.substring(0, operation.indexOf(' '));
            switch (route.kind()) {
                case OBJECT -> {
                    Response theirs = call(asBob, route, method, route.target().apply(a));
                    Response missing =
                            call(asBob, route, method, route.missing().apply(a));
                    assertThat(theirs.statusCode())
                            .as(operation + " with workspace A's id, as a member of B")
                            .isEqualTo(404);
                    assertThat(theirs.contentType()).as(operation).startsWith("application/problem+json");
                    assertThat(missing.statusCode())
                            .as(operation + " with a missing id")
                            .isEqualTo(404);
                    assertThat(normalised(theirs, route.target().apply(a)))
                            .as(operation + ": A's id answers exactly as a missing id")
                            .isEqualTo(normalised(missing, route.missing().apply(a)));
                    checked.add(operation);
                }
                case LIST -> {
                    Response listed = call(asBob, route, method, route.target().apply(a));
                    assertThat(listed.statusCode()).as(operation).isEqualTo(200);
                    assertThat(listed.asString())
                            .as(operation + " lists none of workspace A's objects")
                            .doesNotContain("\"id\":" + a.post() + ",")
                            .doesNotContain(a.file());
                    checked.add(operation);
                }
                case CREATE -> {
                    Response created = call(asBob, route, method, route.target().apply(a));
                    assertThat(created.statusCode()).as(operation).isBetween(200, 299);
                    String location = created.header("Location");
                    assertThat(location).as(operation + " Location").isNotNull();
                    assertThat(workspaceOf(location))
                            .as(operation + ": made in B")
                            .isEqualTo(a.workspaceB());
                    checked.add(operation);
                }
                case NOT_AN_OBJECT -> {
                    Response answer = call(asBob, route, method, route.target().apply(a));
                    assertThat(answer.statusCode()).as(operation).isBetween(200, 299);
                }
                case PUBLIC -> {
                    Response profile = given().get("/api/v1/users/" + a.alice());
                    assertThat(profile.statusCode()).as(operation).isEqualTo(200);
                    assertThat(profile.jsonPath().getMap("$").keySet())
                            .as(operation + " shows only public fields")
                            .containsExactlyInAnyOrder("id", "displayName", "memberSince");
                }
            }
        });

        assertThat(checked).as("isolated routes checked").hasSizeGreaterThanOrEqualTo(14);
        aStillHasEverything();
    }

    @Test
    void aViewerReadsButIsRefusedEveryWrite() {
        String vera = TestIssuer.tokenIn(a.vera(), a.workspaceA(), "viewer");
        ROUTES.forEach((operation, route) -> {
            if (!route.write()) {
                return;
            }
            String method = operation.substring(0, operation.indexOf(' '));
            Response answer = call(
                    r -> r.auth().oauth2(vera), route, method, route.target().apply(a));
            assertThat(answer.statusCode()).as(operation + " as a viewer").isEqualTo(403);
            assertThat(answer.contentType()).as(operation).startsWith("application/problem+json");
        });
        given().auth().oauth2(vera).get("/api/v1/posts/" + a.post()).then().statusCode(200);
        aStillHasEverything();
    }

    private void aStillHasEverything() {
        assertThat(TestData.queryLong(
                        "select count(*) from posts where id = ? and workspace_id = ?", a.post(), a.workspaceA()))
                .isOne();
        assertThat(TestData.queryLong(
                        "select count(*) from comments where id = ? and workspace_id = ?", a.comment(), a.workspaceA()))
                .isOne();
        assertThat(TestData.queryLong(
                        "select count(*) from attachments where id = ?::uuid and workspace_id = ?",
                        a.file(),
                        a.workspaceA()))
                .isOne();
        assertThat(TestData.queryLong(
                        "select count(*) from inference_jobs where id = ?::uuid and workspace_id = ?",
                        a.job(),
                        a.workspaceA()))
                .isOne();
        assertThat(TestData.queryLong(
                        "select count(*) from comments where post_id = ? and workspace_id <> ?",
                        a.post(),
                        a.workspaceA()))
                .isZero();
    }

    private static Response call(UnaryOperator<RequestSpecification> as, Route route, String method, String path) {
        return route.request()
                .apply(as.apply(given().redirects().follow(false)))
                .request(method, path);
    }

    /** The problem with the id it was about replaced in its texts, so that two answers compare as bodies. */
    private JsonNode normalised(Response response, String path) {
        String id = path.replaceAll(".*/api/v1/[a-z/]*?/([^/]+)(/[a-z]+)?$", "$1");
        try {
            ObjectNode problem = (ObjectNode) json.readTree(response.asString());
            problem.put("instance", problem.path("instance").asText().replace(path, "{path}"));
            problem.put("detail", problem.path("detail").asText().replaceAll("\\b" + id + "\\b", "{id}"));
            return problem;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.asString(), e);
        }
    }

    /** The workspace of the row a Location names. */
    private static long workspaceOf(String location) {
        String id = location.substring(location.lastIndexOf('/') + 1);
        if (location.contains("/posts/")) {
            return TestData.queryLong("select workspace_id from posts where id = ?", Long.parseLong(id));
        }
        if (location.contains("/files/")) {
            return TestData.queryLong("select workspace_id from attachments where id = ?::uuid", id);
        }
        if (location.contains("/inference/jobs/")) {
            return TestData.queryLong("select workspace_id from inference_jobs where id = ?::uuid", id);
        }
        throw new AssertionError("no table for " + location);
    }
}
