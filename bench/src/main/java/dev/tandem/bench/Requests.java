package dev.tandem.bench;

import static dev.tandem.bench.Bench.CORE;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP calls around the runs: priming the services, and an access token for the signed-in scenarios. */
final class Requests {

    private Requests() {}

    /** GETs {@code template} (with {@code %d}) for every id in [first, last], 32 at a time. */
    static void prime(String template, long first, long last) throws InterruptedException {
        try (HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                var workers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(32);
            for (long id = first; id <= last; id++) {
                slots.acquire();
                URI uri = URI.create(String.format(Locale.ROOT, template, id));
                workers.submit(() -> {
                    try {
                        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
                    } catch (IOException | InterruptedException e) {
                        // a miss only leaves that profile cold
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }

    /** An access token of the demo user with {@code scope}, from core-app's token endpoint (password grant). */
    static String accessToken(String scope) throws IOException, InterruptedException {
        // In the bench workspace, where BenchData put every bench user and post.
        String form = "grant_type=password&username=demo%40tandem.dev&password=tandem-demo-2026&workspace="
                + BenchData.WORKSPACE + "&scope=" + scope.replace(":", "%3A");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(CORE + "/api/v1/auth/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String token = response.statusCode() == 200
                    ? JsonMapper.builder()
                            .build()
                            .readTree(response.body())
                            .path("access_token")
                            .asString("")
                    : "";
            if (token.isEmpty()) {
                throw new IllegalStateException("no access token (" + response.statusCode() + "): " + response.body());
            }
            return token;
        }
    }
}
