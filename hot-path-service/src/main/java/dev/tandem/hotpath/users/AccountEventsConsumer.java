package dev.tandem.hotpath.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.hotpath.messaging.Inbox;
import dev.tandem.schema.events.Events;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reacts to core-app's account events ({@code user.*} on {@code tandem.events}, queue
 * {@code hot-path.core-events}): the user's cached public profile is dropped so the next read
 * sees the change. Idempotent through the inbox; acked only after the inbox row commits.
 */
@ApplicationScoped
class AccountEventsConsumer {

    static final String QUEUE = "hot-path.core-events";

    private static final Logger log = Logger.getLogger(AccountEventsConsumer.class);

    private final Inbox inbox;
    private final PublicUsers users;
    private final ObjectMapper json;

    AccountEventsConsumer(Inbox inbox, PublicUsers users, ObjectMapper json) {
        this.inbox = inbox;
        this.users = users;
        this.json = json;
    }

    @Incoming("account-events")
    Uni<Void> consume(Message<byte[]> message) {
        JsonNode event;
        try {
            event = json.readTree(message.getPayload());
        } catch (IOException e) {
            return reject(message, "not JSON: " + e.getMessage());
        }
        String type = event.path("type").asText();
        int version = event.path("version").asInt();
        if (Events.find(type, version).isEmpty()) {
            return reject(message, "no contract for " + type + " v" + version);
        }
        String id = message.getMetadata(IncomingRabbitMQMetadata.class)
                .flatMap(IncomingRabbitMQMetadata::getMessageId)
                .orElse(event.path("id").asText());
        long userId = event.path("data").path("userId").asLong();
        return inbox.once(QUEUE, id, type, connection -> Uni.createFrom().voidItem())
                .flatMap(applied -> users.forget(userId))
                .flatMap(done -> Uni.createFrom().completionStage(message.ack()))
                .onFailure()
                .recoverWithUni(failure -> Uni.createFrom().completionStage(message.nack(failure)));
    }

    private static Uni<Void> reject(Message<byte[]> message, String reason) {
        log.errorf("rejecting a message on %s: %s", QUEUE, reason);
        return Uni.createFrom().completionStage(message.nack(new IllegalArgumentException(reason)));
    }
}
