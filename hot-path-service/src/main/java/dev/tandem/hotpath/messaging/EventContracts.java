package dev.tandem.hotpath.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a delivery as the event a consumer has a contract for (type and version among its {@link
 * EventConsumer#types()}, data fitting the record), or says why not: such a message is
 * dead-lettered at once, never half applied.
 */
final class EventContracts {

    private final ObjectMapper json;

    EventContracts(ObjectMapper json) {
        // Strict about the data's shape: a missing field is a broken contract, not a zero.
        this.json = json.copy()
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
    }

    EventEnvelope<?> read(EventConsumer consumer, byte[] body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw new NoContract("unknown", "not JSON: " + e.getMessage());
        }
        String name = node.path("type").asText("unknown");
        int version = node.path("version").asInt(0);
        Optional<EventType<?>> type = Events.find(name, version).filter(consumer.types()::contains);
        if (type.isEmpty()) {
            String tag = Events.ALL.stream().anyMatch(known -> known.name().equals(name)) ? name : "unknown";
            throw new NoContract(tag, "no contract for " + name + " v" + version + " in " + consumer.queue());
        }
        JavaType envelope = json.getTypeFactory()
                .constructParametricType(EventEnvelope.class, type.get().dataType());
        try {
            return json.readValue(body, envelope);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new NoContract(name, "does not match the " + name + " v" + version + " contract: " + e.getMessage());
        }
    }

    /** A message this consumer has no contract for: dead-lettered at once with the reason. */
    static final class NoContract extends RuntimeException {
        private final String type;

        NoContract(String type, String reason) {
            super(reason, null, false, false);
            this.type = type;
        }

        /** The event type for metrics: a known type's name, or {@code unknown}. */
        String type() {
            return type;
        }
    }
}
