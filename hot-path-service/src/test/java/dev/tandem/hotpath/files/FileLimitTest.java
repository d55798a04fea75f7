package dev.tandem.hotpath.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FileLimitTest.SmallFiles.class)
@WithTestResource(TestServersResource.class)
class FileLimitTest {

    public static class SmallFiles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tandem.files.max-size", "64K");
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void aDeclaredTooLargeUploadIsRefusedBeforeItIsRead() throws Exception {
        long owner = TestData.insertUser("Big", "ACTIVE");

        HttpResponse<String> response = post(owner, HttpRequest.BodyPublishers.ofByteArray(new byte[65 * 1024]));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(TestData.queryLong("select count(*) from attachments where owner_id = ?", owner))
                .isZero();
    }

    @Test
    void aStreamThatGrowsPastTheLimitIsCutOffAndLeavesNothing() throws Exception {
        long owner = TestData.insertUser("Sneaky", "ACTIVE");
        java.util.Set<Path> before = incoming();

        int status;
        try {
            HttpResponse<String> response = post(
                    owner,
                    HttpRequest.BodyPublishers.ofInputStream(() -> new FilesTest.Generated(10L << 20, sha256())));
            status = response.statusCode();
        } catch (IOException e) {
            status = 413; // the server may close the connection while the client still sends
        }

        assertThat(status).isEqualTo(413);
        assertThat(TestData.queryLong("select count(*) from attachments where owner_id = ?", owner))
                .isZero();
        // The abort deletes the partial file asynchronously.
        await().atMost(TestData.PATIENCE)
                .untilAsserted(() ->
                        assertThat(incoming()).as("partial uploads left behind").isEqualTo(before));
    }

    @Test
    void anOversizedExtraPartIsCutOffToo() throws Exception {
        long owner = TestData.insertUser("Padded", "ACTIVE");
        String boundary = "tandem-boundary";
        byte[] head = ("--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"padding\"; filename=\"pad.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/files"))
                .header("Authorization", "Bearer " + TestIssuer.token(owner, "USER"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                        new java.io.SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
                                new java.io.ByteArrayInputStream(head),
                                new FilesTest.Generated(4L << 20, sha256()),
                                new java.io.ByteArrayInputStream(tail))))))
                .build();

        int status;
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            status = client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            status = 413; // the server may close the connection while the client still sends
        }

        assertThat(status).isEqualTo(413);
        assertThat(TestData.queryLong("select count(*) from attachments where owner_id = ?", owner))
                .isZero();
    }

    private static java.util.Set<Path> incoming() throws IOException {
        Path folder = Path.of("target/test-files/.incoming");
        if (!Files.isDirectory(folder)) {
            return java.util.Set.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void aClientThatGoesAwayMidUploadLeavesNoFileBehind() throws Exception {
        long owner = TestData.insertUser("Flaky", "ACTIVE");
        java.util.Set<Path> before = incoming();
        String head = "POST /api/v1/files?name=cut.bin HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestIssuer.token(owner, "USER") + "\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 60000\r\n\r\n";

        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(new byte[20_000]);
            socket.getOutputStream().flush();
            await().alias("the upload has begun: a partial file exists")
                    .atMost(TestData.PATIENCE)
                    .until(() -> !incoming().equals(before));
        } // the client goes away mid-upload

        await().atMost(TestData.PATIENCE)
                .untilAsserted(() ->
                        assertThat(incoming()).as("partial uploads left behind").isEqualTo(before));
        assertThat(TestData.queryLong("select count(*) from attachments where owner_id = ?", owner))
                .isZero();
    }

    private HttpResponse<String> post(long owner, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/files?name=x.bin"))
                .header("Authorization", "Bearer " + TestIssuer.token(owner, "USER"))
                .POST(body)
                .build();
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
