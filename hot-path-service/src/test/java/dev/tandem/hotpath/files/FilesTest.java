package dev.tandem.hotpath.files;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestServersResource.class)
class FilesTest {

    /** The first bytes of a PNG: what the sniffer must recognise whatever the client claims. */
    static final byte[] PNG =
            HexFormat.of().parseHex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final long owner = TestData.insertUser("Uploader", "ACTIVE");
    private final long stranger = TestData.insertUser("Snoop", "ACTIVE");
    private final long staff = TestData.insertUser("Support", "ACTIVE", "STAFF");
    private final long workspace = TestData.shareWorkspace(owner, stranger, staff);

    @Test
    void aRawUploadIsStoredUnderASafeNameWithItsHashAndSniffedType() throws Exception {
        Response created = as(owner).contentType("text/plain").body(PNG).post("/api/v1/files?name=../../etc/passwd");

        created.then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/files/"))
                .body("name", equalTo("passwd"))
                .body("contentType", equalTo("image/png"))
                .body("size", equalTo(PNG.length))
                .body("sha256", equalTo(sha256(PNG)));
        String id = created.jsonPath().getString("id");
        String key = TestData.queryString("select storage_key from attachments where id = ?::uuid", id);
        assertThat(key).isEqualTo(id.substring(0, 2) + "/" + id.substring(2, 4) + "/" + id);
        assertThat(Files.readAllBytes(Path.of("target/test-files").resolve(key)))
                .isEqualTo(PNG);
    }

    @Test
    void theNameNeverDecidesTheTypeOfBytesThatSayOtherwise() {
        byte[] noise = new byte[512];
        new java.util.Random(7).nextBytes(noise);
        noise[0] = 0x01;
        as(owner)
                .contentType("application/pdf")
                .body(noise)
                .post("/api/v1/files?name=report.pdf")
                .then()
                .statusCode(201)
                .body("contentType", equalTo("application/octet-stream"));
        as(owner)
                .contentType("text/html")
                .body("<b>just text</b> really".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/files?name=page.html")
                .then()
                .statusCode(201)
                .body("contentType", not(equalTo("text/html")));
        as(owner)
                .body("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/files?name=table.csv")
                .then()
                .statusCode(201)
                .body("contentType", equalTo("text/csv"));
    }

    @Test
    void aMultipartUploadWorksToo() {
        byte[] text = "hello, multipart".getBytes(StandardCharsets.UTF_8);
        as(owner)
                .multiPart("file", "C:\\Users\\me\\notes.txt", text, "application/octet-stream")
                .post("/api/v1/files")
                .then()
                .statusCode(201)
                .body("name", equalTo("notes.txt"))
                .body("contentType", equalTo("text/plain"))
                .body("sha256", equalTo(sha256(text)));
        as(owner).multiPart("other", "x.txt", text).post("/api/v1/files").then().statusCode(422);
    }

    @Test
    void downloadsHaveETagsRangesAndADisposition() {
        byte[] bytes = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        String id = upload(owner, bytes, "résumé \"final\".txt");

        Response full = as(owner).get("/api/v1/files/" + id);
        full.then()
                .statusCode(200)
                .header("ETag", "\"" + sha256(bytes) + "\"")
                .header("Accept-Ranges", "bytes")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", containsString("filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.txt"));
        assertThat(full.asByteArray()).isEqualTo(bytes);

        as(owner)
                .header("If-None-Match", full.header("ETag"))
                .get("/api/v1/files/" + id)
                .then()
                .statusCode(304);

        Response part = as(owner).header("Range", "bytes=2-5").get("/api/v1/files/" + id);
        part.then().statusCode(206).header("Content-Range", "bytes 2-5/20");
        assertThat(part.asString()).isEqualTo("2345");

        assertThat(as(owner)
                        .header("Range", "bytes=-3")
                        .get("/api/v1/files/" + id)
                        .asString())
                .isEqualTo("hij");
        assertThat(as(owner)
                        .header("Range", "bytes=18-")
                        .get("/api/v1/files/" + id)
                        .asString())
                .isEqualTo("ij");
        as(owner)
                .header("Range", "bytes=20-30")
                .get("/api/v1/files/" + id)
                .then()
                .statusCode(416)
                .header("Content-Range", "bytes */20")
                .contentType("application/problem+json");
        as(owner)
                .header("Range", "bytes=0-1")
                .header("If-Range", "\"stale\"")
                .get("/api/v1/files/" + id)
                .then()
                .statusCode(200);
        for (String ignored :
                List.of("bytes=0-1,4-5", "bytes=5-3", "items=0-5", "bytes=abc", "bytes=+5-", "bytes=-", "bytes=-+3")) {
            assertThat(as(owner)
                            .header("Range", ignored)
                            .get("/api/v1/files/" + id)
                            .then()
                            .statusCode(200)
                            .extract()
                            .asByteArray())
                    .as(ignored)
                    .isEqualTo(bytes);
        }
        Response head = as(owner).head("/api/v1/files/" + id);
        head.then().statusCode(200).header("Content-Length", "20").header("ETag", full.header("ETag"));
        assertThat(head.asByteArray()).isEmpty();
    }

    @Test
    void filesArePrivateToTheirUploaderAndStaff() {
        String id = upload(owner, "private".getBytes(StandardCharsets.UTF_8), "diary.txt");

        as(stranger).get("/api/v1/files/" + id).then().statusCode(404).contentType("application/problem+json");
        as(stranger).delete("/api/v1/files/" + id).then().statusCode(404);
        as(staff).get("/api/v1/files/" + id).then().statusCode(200);
        given().get("/api/v1/files/" + id).then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().body(PNG).post("/api/v1/files").then().statusCode(401).contentType("application/problem+json");
        given().auth()
                .oauth2(TestIssuer.token(owner, "USER", "files:read"))
                .body(PNG)
                .post("/api/v1/files")
                .then()
                .statusCode(403);
        given().auth().oauth2("garbage").get("/api/v1/files/" + id).then().statusCode(401);
        as(owner).get("/api/v1/files/not-a-uuid").then().statusCode(404);
    }

    @Test
    void myFilesAreListedAndDeleted() {
        long lister = TestData.insertUser("Lister", "ACTIVE");
        String first = upload(lister, "one".getBytes(StandardCharsets.UTF_8), "one.txt");
        String second = upload(lister, "two".getBytes(StandardCharsets.UTF_8), "two.txt");

        as(lister)
                .get("/api/v1/files?limit=1")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(second))
                .header("Link", containsString("next"));

        String key = TestData.queryString("select storage_key from attachments where id = ?::uuid", first);
        as(lister).delete("/api/v1/files/" + first).then().statusCode(204);
        as(lister).get("/api/v1/files/" + first).then().statusCode(404);
        as(lister).get("/api/v1/files").then().body("items", hasSize(1));
        assertThat(Path.of("target/test-files").resolve(key)).doesNotExist();
    }

    @Test
    void aBodyGatheredIntoSeveralWritesIsStoredByteForByte() {
        byte[] bytes = new byte[2 * FileRoutes.WRITE_BYTES + 12_345]; // two full writes and a partial one
        new java.util.Random(7).nextBytes(bytes);
        String id = as(owner)
                .contentType("application/octet-stream")
                .body(bytes)
                .post("/api/v1/files?name=parts.bin")
                .then()
                .statusCode(201)
                .body("size", equalTo(bytes.length))
                .body("sha256", equalTo(sha256(bytes)))
                .extract()
                .path("id");

        byte[] stored = as(owner)
                .get("/api/v1/files/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();

        assertThat(stored).isEqualTo(bytes);
    }

    /**
     * A 1 GiB upload streams through a test JVM whose whole heap is 384 MiB (surefire argLine):
     * it cannot be held in memory on the way.
     */
    @Test
    void aOneGigabyteUploadStreamsThroughASmallHeap() throws Exception {
        long size = 1L << 30;
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(size / 2);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/files?name=big.bin"))
                .header("Authorization", "Bearer " + TestIssuer.token(owner, "USER"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(size, expected)))
                .build();

        HttpResponse<String> response;
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body())
                .contains("\"size\":" + size)
                .contains(HexFormat.of().formatHex(expected.digest()));
        String id = response.body().replaceAll(".*\"id\":\"([0-9a-f-]+)\".*", "$1");
        as(owner).delete("/api/v1/files/" + id).then().statusCode(204);
    }

    /** {@code size} bytes of a repeating pattern, made as they are read (and hashed on the way). */
    static final class Generated extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long position;

        Generated(long size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int count = (int) Math.min(length, size - position);
            for (int i = 0; i < count; i++) {
                buffer[offset + i] = (byte) ((position + i) * 31 >>> 3);
            }
            digest.update(buffer, offset, count);
            position += count;
            return count;
        }
    }

    static String upload(long userId, byte[] bytes, String name) {
        return as(userId)
                .contentType("application/octet-stream")
                .queryParam("name", name)
                .body(bytes)
                .post("/api/v1/files")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    static RequestSpecification as(long userId) {
        String role = TestData.queryString("select role from users where id = ?", userId);
        return given().auth().oauth2(TestIssuer.token(userId, role));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
