package dev.tandem.hotpath.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.hotpath.auth.ApiKeys;
import dev.tandem.hotpath.auth.Memberships;
import dev.tandem.schema.events.Events;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Keeps this instance's caches of accounts fresh: core-app's account events ({@code user.*},
 * {@code api_key.*}, {@code workspace.*} and staff edits, {@code admin.record_changed}, on
 * {@code tandem.events}) reach every instance through its own exclusive, auto-deleted queue, and
 * each drops the user's cached profile, API keys and memberships (or the one revoked key, the one
 * removed membership, the closed workspace's memberships) so the next request sees the change.
 * Dropping an entry is idempotent and touches no table, so no inbox is needed; a message this
 * consumer cannot read is logged, counted and acknowledged (retrying would not make it readable).
 */
@ApplicationScoped
class AccountEventsConsumer {

    private static final Logger log = Logger.getLogger(AccountEventsConsumer.class);

    private final PublicUserService users;
    private final ApiKeys apiKeys;
    private final Memberships memberships;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    AccountEventsConsumer(
            PublicUserService users,
            ApiKeys apiKeys,
            Memberships memberships,
            ObjectMapper json,
            MeterRegistry meters) {
        this.users = users;
        this.apiKeys = apiKeys;
        this.memberships = memberships;
        this.json = json;
        this.meters = meters;
    }

    @Incoming("account-events")
    Uni<Void> consume(Message<byte[]> message) {
        return Uni.createFrom()
                .item(() -> parse(message.getPayload()))
                .flatMap(event -> {
                    if (event == null) {
                        return Uni.createFrom().voidItem();
                    }
                    String type = event.path("type").asText();
                    JsonNode data = event.path("data");
                    counted(type, "applied");
                    if (type.equals(Events.API_KEY_REVOKED.name())) {
                        apiKeys.forget(data.path("keyId").asText());
                        return Uni.createFrom().voidItem();
                    }
                    if (type.equals(Events.WORKSPACE_MEMBER_REMOVED.name())) {
                        memberships.forget(
                                data.path("workspaceId").asLong(),
                                data.path("userId").asLong());
                        return Uni.createFrom().voidItem();
                    }
                    if (type.equals(Events.WORKSPACE_DELETED.name())) {
                        memberships.forgetWorkspace(data.path("workspaceId").asLong());
                        return Uni.createFrom().voidItem();
                    }
                    if (type.equals(Events.ADMIN_RECORD_CHANGED.name())) {
                        return adminChanged(
                                data.path("table").asText(),
                                data.path("recordId").asText());
                    }
                    apiKeys.forgetUser(data.path("userId").asLong());
                    memberships.forgetUser(data.path("userId").asLong());
                    return users.forget(data.path("userId").asLong());
                })
                .onFailure()
                .invoke(failure -> log.errorf(failure, "account events: could not apply a message"))
                .onFailure()
                .recoverWithNull()
                .flatMap(done -> Uni.createFrom().completionStage(message.ack()));
    }

    /** Staff changed a record in the admin: drop what this instance cached of it (other tables: nothing). */
    private Uni<Void> adminChanged(String table, String recordId) {
        switch (table) {
            case "users" -> {
                long userId = Long.parseLong(recordId);
                apiKeys.forgetUser(userId);
                memberships.forgetUser(userId);
                return users.forget(userId);
            }
            case "api_keys" -> apiKeys.forget(recordId);
            default -> {
                // posts, comments, attachments, ...: read fresh on every request, nothing cached
            }
        }
        return Uni.createFrom().voidItem();
    }

    /** The event, or null (logged and counted) when it is not one this consumer can apply. */
    private JsonNode parse(byte[] payload) {
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (IOException e) {
            log.errorf("account events: ignoring a message that is not JSON: %s", e.getMessage());
            counted("unknown", "unreadable");
            return null;
        }
        String type = event.path("type").asText();
        int version = event.path("version").asInt();
        JsonNode data = event.path("data");
        boolean readable;
        if (type.equals(Events.ADMIN_RECORD_CHANGED.name())) {
            readable = data.path("table").isTextual()
                    && (!data.path("table").asText().equals("users")
                            || data.path("recordId").asText().matches("\\d{1,18}"));
        } else if (type.equals(Events.WORKSPACE_DELETED.name())) {
            readable = data.path("workspaceId").canConvertToLong();
        } else if (type.equals(Events.WORKSPACE_MEMBER_REMOVED.name())) {
            readable = data.path("workspaceId").canConvertToLong()
                    && data.path("userId").canConvertToLong();
        } else {
            readable = data.path("userId").canConvertToLong();
        }
        if (Events.find(type, version).isEmpty() || !readable) {
            log.errorf("account events: ignoring %s v%d, which has no contract here", type, version);
            counted(type, "unreadable");
            return null;
        }
        return event;
    }

    private void counted(String type, String outcome) {
        meters.counter("tandem.messages.consumed", "consumer", "account-events", "type", type, "outcome", outcome)
                .increment();
    }
}
