package dev.tandem.schema.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

class ContractsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyExampleInTheContractsIsValid() throws IOException {
        for (EventType<?> type : Events.ALL) {
            JsonNode examples = schemaJson(type).path("examples");
            assertThat(examples.size()).as(type.name() + " has examples").isPositive();
            for (JsonNode example : examples) {
                assertThat(ContractValidator.violations(example.toString()))
                        .as(type.name())
                        .isEmpty();
            }
        }
    }

    @Test
    void aMessageWithoutIdBreaksTheEnvelope() throws IOException {
        ObjectNode message = example(Events.USER_REGISTERED);
        message.remove("id");

        assertThat(ContractValidator.violations(message.toString()))
                .singleElement()
                .asString()
                .contains("id");
    }

    @Test
    void malformedFieldsAreReported() throws IOException {
        ObjectNode message = example(Events.USER_REGISTERED);
        message.put("occurredAt", "yesterday");
        message.put("traceparent", "not-a-trace");
        ((ObjectNode) message.get("data")).put("userId", 0);

        assertThat(ContractValidator.violations(message.toString())).hasSize(3);
    }

    @Test
    void dataOutsideTheContractIsRefused() throws IOException {
        ObjectNode message = example(Events.USER_REGISTERED);
        ((ObjectNode) message.get("data")).put("email", "leak@example.com");

        assertThat(ContractValidator.violations(message.toString()))
                .singleElement()
                .asString()
                .contains("email");
    }

    @Test
    void anUnknownVersionHasNoContract() throws IOException {
        ObjectNode message = example(Events.USER_REGISTERED);
        message.put("version", 99);

        assertThat(ContractValidator.violations(message.toString()))
                .containsExactly("no contract for event type 'user.registered' version 99");
    }

    @Test
    void eachRecordHasExactlyTheFieldsOfItsSchema() throws IOException {
        for (EventType<?> type : Events.ALL) {
            JsonNode data = schemaJson(type).path("properties").path("data");
            Set<String> schemaFields = new HashSet<>(data.path("properties").propertyNames());
            Set<String> required = new HashSet<>();
            data.path("required").forEach(field -> required.add(field.asString()));
            Set<String> recordFields =
                    new HashSet<>(Arrays.stream(type.dataType().getRecordComponents())
                            .map(RecordComponent::getName)
                            .toList());
            // A field added to a version later (additive) is @Nullable: messages from before lack it.
            Set<String> mandatory = new HashSet<>(Arrays.stream(type.dataType().getRecordComponents())
                    .filter(component -> !component.getAnnotatedType().isAnnotationPresent(Nullable.class))
                    .map(RecordComponent::getName)
                    .toList());

            assertThat(recordFields).as(type.name()).isEqualTo(schemaFields);
            assertThat(mandatory).as(type.name() + ": required").isEqualTo(required);
        }
    }

    @Test
    void everyContractFileIsACataloguedEventType() throws IOException {
        Path dir = Path.of("src/main/resources/contracts/events");
        List<String> files;
        try (Stream<Path> paths = Files.list(dir)) {
            files = paths.map(p -> "contracts/events/" + p.getFileName())
                    .sorted()
                    .toList();
        }

        assertThat(files)
                .containsExactlyInAnyOrderElementsOf(
                        Events.ALL.stream().map(EventType::schemaResource).toList());
    }

    @Test
    void theAsyncApiDocumentRoutesEveryEventType() throws IOException {
        String asyncApi = Files.readString(Path.of("asyncapi.yaml"));

        for (EventType<?> type : Events.ALL) {
            assertThat(asyncApi).contains("address: " + type.routingKey());
            assertThat(asyncApi).contains(type.schemaResource());
        }
    }

    private static ObjectNode example(EventType<?> type) throws IOException {
        return (ObjectNode) schemaJson(type).path("examples").get(0).deepCopy();
    }

    private static JsonNode schemaJson(EventType<?> type) throws IOException {
        try (InputStream in = ContractsTest.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            assertThat(in).as(type.schemaResource()).isNotNull();
            return JSON.readTree(in);
        }
    }
}
