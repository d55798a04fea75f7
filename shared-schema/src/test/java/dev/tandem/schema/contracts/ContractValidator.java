package dev.tandem.schema.contracts;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Checks a message against the JSON Schema of its type, as both services' tests do for what they
 * emit and what they accept. Shipped in shared-schema's test jar; it works on JSON text so that
 * either service may use it whatever Jackson its framework brings.
 */
public final class ContractValidator {

    static final String ID_PREFIX = "https://schemas.tandem.dev/contracts/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaIdResolvers(ids -> ids.mapPrefix(ID_PREFIX, "classpath:contracts/"))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder()
                            .formatAssertionsEnabled(true)
                            .build()));

    private ContractValidator() {}

    /** What is wrong with {@code message}, as readable sentences; empty when it follows its contract. */
    public static List<String> violations(String message) {
        JsonNode node = JSON.readTree(message);
        String type = node.path("type").asString("");
        int version = node.path("version").asInt(0);
        Optional<EventType<?>> eventType = Events.find(type, version);
        if (eventType.isEmpty()) {
            return List.of("no contract for event type '" + type + "' version " + version);
        }
        return schema(eventType.get()).validate(node).stream()
                .map(Error::toString)
                .toList();
    }

    /** Fails with every violation listed when {@code message} does not follow its contract. */
    public static void assertValid(String message) {
        List<String> violations = violations(message);
        if (!violations.isEmpty()) {
            throw new AssertionError(
                    "message breaks its contract:\n  " + String.join("\n  ", violations) + "\nmessage: " + message);
        }
    }

    static Schema schema(EventType<?> type) {
        return REGISTRY.getSchema(
                SchemaLocation.of(ID_PREFIX + type.schemaResource().substring("contracts/".length())));
    }
}
