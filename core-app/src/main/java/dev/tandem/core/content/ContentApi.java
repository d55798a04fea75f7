package dev.tandem.core.content;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.OnBehalfTokens;
import dev.tandem.core.platform.TandemProperties;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;

/**
 * Writes content through hot-path-service's API v1 as the signed-in person: a fresh access token
 * with the {@code content:write} scope, in the session's workspace (minted here: core-app is the
 * issuer), and the form's
 * request id as {@code Idempotency-Key}, so a form sent twice creates one post.
 */
@Component
class ContentApi {

    /** What hot-path-service made: the id, and whether moderation held it for review. */
    record Created(long id, boolean held) {}

    private static final List<String> SCOPES = List.of("content:write");

    private final RestClient http;
    private final OnBehalfTokens tokens;

    ContentApi(TandemProperties properties, OnBehalfTokens tokens) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build());
        requests.setReadTimeout(Duration.ofSeconds(10));
        this.http = RestClient.builder()
                .baseUrl(properties.hotPathInternalUrl().toString())
                .requestFactory(requests)
                .build();
        this.tokens = tokens;
    }

    Created createPost(AccountPrincipal account, long workspaceId, String requestId, String title, String body) {
        return post(account, workspaceId, requestId, "/api/v1/posts", Map.of("title", title, "body", body));
    }

    Created createComment(AccountPrincipal account, long workspaceId, String requestId, long postId, String body) {
        return post(account, workspaceId, requestId, "/api/v1/posts/" + postId + "/comments", Map.of("body", body));
    }

    private Created post(
            AccountPrincipal account, long workspaceId, String requestId, String path, Map<String, String> body) {
        try {
            JsonNode created = http.post()
                    .uri(path)
                    .headers(headers -> {
                        headers.setBearerAuth(tokens.accessToken(account, workspaceId, SCOPES));
                        headers.set("Idempotency-Key", "web-" + requestId);
                    })
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_JSON)
                    .body(body)
                    .retrieve()
                    .body(JsonNode.class);
            if (created == null || !created.path("id").canConvertToLong()) {
                throw new ContentApiException(502, "The content service gave an answer without an id.", Map.of());
            }
            return new Created(
                    created.path("id").asLong(),
                    "held".equals(created.path("moderation").path("state").asText()));
        } catch (RestClientResponseException e) {
            throw refused(e);
        } catch (ResourceAccessException e) {
            throw new ContentApiException(503, "The content service cannot be reached right now.", Map.of());
        }
    }

    /** The API's problem details as an exception: its detail, and its field errors by field. */
    private static ContentApiException refused(RestClientResponseException e) {
        Map<String, String> fields = new HashMap<>();
        String detail =
                "The content service refused the change (" + e.getStatusCode().value() + ").";
        JsonNode problem = e.getResponseBodyAs(JsonNode.class);
        if (problem != null) {
            if (problem.path("detail").isString()) {
                detail = problem.path("detail").asString();
            }
            for (JsonNode error : problem.path("errors")) {
                String pointer = error.path("pointer").asString("");
                fields.putIfAbsent(
                        pointer.startsWith("/") ? pointer.substring(1) : pointer,
                        error.path("detail").asString(""));
            }
        }
        return new ContentApiException(e.getStatusCode().value(), detail, fields);
    }
}
