package dev.tandem.hotpath.auth;

import dev.tandem.hotpath.users.PublicUserService;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Completes identities from access tokens: the token's {@code scope} claim becomes permissions
 * (as API keys' scopes do), and the account must still be usable. A token outlives a closed or
 * disabled account by up to its 15 minutes; the account check (cached, dropped by core-app's
 * account events) ends that at once.
 */
@ApplicationScoped
class TokenScopes implements SecurityIdentityAugmentor {

    private final PublicUserService accounts;

    TokenScopes(PublicUserService accounts) {
        this.accounts = accounts;
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
        return accounts.find(userId).map(Optional::isPresent).map(active -> {
            if (!active) {
                throw new AuthenticationFailedException("the token's account is closed or disabled");
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
                    .addAttribute(Caller.SCOPES, Set.copyOf(scopes));
            scopes.forEach(builder::addPermissionAsString);
            return builder.build();
        });
    }
}
