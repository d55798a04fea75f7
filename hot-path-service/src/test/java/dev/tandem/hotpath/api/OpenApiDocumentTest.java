package dev.tandem.hotpath.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code hot-path-service/openapi.yaml} is the API's contract for client
 * developers: it must be exactly what the service serves. After a deliberate API change, copy the
 * generated document over it: {@code cp target/openapi-served.yaml openapi.yaml}.
 */
@QuarkusTest
@WithTestResource(TestServersResource.class)
class OpenApiDocumentTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void theServedDocumentIsTheCommittedOne() throws IOException {
        String served = given().queryParam("format", "yaml")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String committed = Files.readString(Path.of("openapi.yaml"));
        Files.writeString(Path.of("target/openapi-served.yaml"), served);

        // Compared as documents: the order of keys is not part of the contract.
        JsonNode servedDocument = YAML.readTree(served);
        assertThat(servedDocument.equals(YAML.readTree(committed)))
                .as("openapi.yaml is out of date: cp target/openapi-served.yaml openapi.yaml")
                .isTrue();
    }

    @Test
    void everyOperationHasItsOwnOperationId() throws IOException {
        JsonNode paths =
                YAML.readTree(Files.readString(Path.of("openapi.yaml"))).path("paths");
        java.util.List<String> missing = new java.util.ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (var path : paths.properties()) {
            for (var operation : path.getValue().properties()) {
                String id = operation.getValue().path("operationId").asText("");
                if (id.isEmpty() || !ids.add(id)) {
                    missing.add(operation.getKey() + " " + path.getKey() + " (" + id + ")");
                }
            }
        }

        assertThat(missing).as("operations without an operationId of their own").isEmpty();
        assertThat(ids).hasSizeGreaterThanOrEqualTo(21);
    }

    @Test
    void documentsProblemDetailsAndTheUserEndpoint() {
        String served = given().get("/q/openapi?format=json").then().extract().asString();

        assertThat(served)
                .contains("\"openapi\" : \"3.1")
                .contains("/api/v1/users/{id}")
                .contains("application/problem+json");
    }
}
