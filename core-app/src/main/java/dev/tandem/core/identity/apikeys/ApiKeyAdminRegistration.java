package dev.tandem.core.identity.apikeys;

import dev.tandem.core.admin.AdminAction;
import dev.tandem.core.admin.ModelAdmin;
import dev.tandem.core.admin.ModelAdmin.Operation;
import dev.tandem.core.messaging.Outbox;
import dev.tandem.schema.events.ApiKeyRevoked;
import dev.tandem.schema.events.Events;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * API keys in the staff admin: seen, renamed, revoked (with the same {@code api_key.revoked} event
 * as when their owner revokes them, so hot-path drops them at once) or deleted. Staff never
 * create keys: a key's secret is shown once, to its owner.
 */
@Configuration(proxyBeanMethods = false)
class ApiKeyAdminRegistration {

    @Bean
    ModelAdmin<ApiKey> apiKeyAdmin(Clock clock, Outbox outbox) {
        return ModelAdmin.of(ApiKey.class)
                .label("API keys")
                .list("name", "user", "scopes", "createdAt", "expiresAt", "revokedAt")
                .search("name", "id")
                .filters("user", "revokedAt", "expiresAt")
                // Revoking goes through the action (which tells hot-path); a revoked key never comes back.
                .readOnly("revokedAt", "expiresAt")
                .only(Operation.VIEW, Operation.CHANGE, Operation.DELETE)
                .action(new AdminAction<>(
                        "revoke",
                        "Revoke selected API keys",
                        "Apps using them are refused from now on. Keys already revoked are skipped.",
                        Operation.CHANGE,
                        keys -> {
                            Instant now = clock.instant();
                            int revoked = 0;
                            for (ApiKey key : keys) {
                                if (!key.revoked()) {
                                    key.revoke(now);
                                    outbox.append(
                                            Events.API_KEY_REVOKED, new ApiKeyRevoked(key.id(), key.userId(), now));
                                    revoked++;
                                }
                            }
                            return "Revoked " + revoked + " API keys.";
                        }))
                .build();
    }
}
