package dev.tandem.hotpath.auth;

import dev.tandem.hotpath.users.PublicUserService;
import dev.tandem.schema.auth.AccessTokenClaims;
import dev.tandem.schema.workspaces.WorkspaceRole;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jspecify.annotations.Nullable;

/**
 * Completes identities from access tokens: the token's {@code scope} claim becomes permissions
 * (as API keys' scopes do), and the account must still be usable. A token outlives a closed or
 * disabled account by up to its 15 minutes; the account check (cached, dropped by core-app's
 * account events) ends that at once. The token's workspace ({@code wid}) and role there
 * ({@code workspace_role}) become the identity's, and the account must still be a member of that
 * open workspace (cached, dropped by core-app's workspace events): a removed member's token stops
 * working at once too. The role acted with is the token's (at most 15 minutes old).
 */
@ApplicationScoped
class TokenScopes implements SecurityIdentityAugmentor {

    private final PublicUserService accounts;
    private final Memberships memberships;

    TokenScopes(PublicUserService accounts, Memberships memberships) {
        this.accounts = accounts;
        this.memberships = memberships;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        long userId;
        try {
            userId = Long.parseLong(token.getSubject());
        } catch (NumberFormatException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the token's subject is not an account"));
        }
        Long workspace = number(token.getClaim(AccessTokenClaims.WORKSPACE));
        Optional<WorkspaceRole> role = Optional.ofNullable(text(token.getClaim(AccessTokenClaims.WORKSPACE_ROLE)))
                .flatMap(WorkspaceRole::parse);
        if (workspace == null || role.isEmpty()) {
            return Uni.createFrom()
                    .failure(new AuthenticationFailedException("the token names no workspace (wid, workspace_role)"));
        }
        Uni<Boolean> member = memberships.roleOf(workspace, userId).map(Optional::isPresent);
        return accounts.find(userId)
                .map(Optional::isPresent)
                .flatMap(active -> member.map(isMember -> {
                    if (!active) {
                        throw new AuthenticationFailedException("the token's account is closed or disabled");
                    }
                    if (!isMember) {
                        throw new AuthenticationFailedException(
                                "the token's account left its workspace, or it was closed");
                    }
                    Object claim = token.getClaim("scope");
                    Set<String> scopes = new TreeSet<>();
                    if (claim != null) {
                        for (String granted : claim.toString().trim().split("\\s+")) {
                            if (!granted.isEmpty()) {
                                scopes.add(granted);
                            }
                        }
                    }
                    QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity)
                            .addAttribute(Caller.METHOD, "token")
                            .addAttribute(Caller.SCOPES, Set.copyOf(scopes))
                            .addAttribute(Caller.WORKSPACE, workspace)
                            .addAttribute(Caller.WORKSPACE_ROLE, role.get());
                    scopes.forEach(builder::addPermissionAsString);
                    return builder.build();
                }));
    }

    /** A numeric claim (a JSON number, or digits in a string), else null. */
    private static @Nullable Long number(@Nullable Object claim) {
        if (claim instanceof JsonNumber number) {
            return number.isIntegral() ? number.longValue() : null;
        }
        if (claim instanceof Number number) {
            return number.longValue();
        }
        String value = text(claim);
        return value != null && value.matches("\\d{1,18}") ? Long.parseLong(value) : null;
    }

    /** A string claim, else null. */
    private static @Nullable String text(@Nullable Object claim) {
        if (claim instanceof JsonString string) {
            return string.getString();
        }
        return claim instanceof String string ? string : null;
    }
}
