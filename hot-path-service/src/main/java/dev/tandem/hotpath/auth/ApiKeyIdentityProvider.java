package dev.tandem.hotpath.auth;

import dev.tandem.hotpath.limits.Usage;
import dev.tandem.schema.auth.ApiKeyFormat;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * Turns an API key into an identity: the key must exist, match its stored hash (compared in
 * constant time), be neither revoked nor expired, and belong to an active account that is still a
 * member of the key's open workspace. The identity's permissions are the key's scopes; its roles are
 * the account's; it acts in the key's workspace with the member's role there.
 */
@ApplicationScoped
class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final ApiKeys keys;
    private final Usage usage;
    private final Clock clock;

    ApiKeyIdentityProvider(ApiKeys keys, Usage usage, Clock clock) {
        this.keys = keys;
        this.usage = usage;
        this.clock = clock;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        ApiKeyFormat.ApiKey presented = request.key();
        return keys.find(presented).map(found -> {
            ApiKeys.StoredKey key = found.filter(k -> ApiKeyFormat.matches(presented.secret(), k.secretHash()))
                    .filter(k -> k.usableAt(clock.instant()))
                    .orElseThrow(() -> new AuthenticationFailedException("unknown, revoked or expired API key"));
            usage.keyUsed(key.id());
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(Long.toString(key.userId())))
                    .addRole(key.role())
                    .addAttribute(Caller.METHOD, "api-key")
                    .addAttribute(Caller.SCOPES, key.scopes())
                    .addAttribute(Caller.WORKSPACE, key.workspaceId())
                    .addAttribute(Caller.WORKSPACE_ROLE, key.workspaceRole());
            key.scopes().forEach(identity::addPermissionAsString);
            return identity.build();
        });
    }
}
