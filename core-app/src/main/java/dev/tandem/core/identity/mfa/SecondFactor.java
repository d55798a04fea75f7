package dev.tandem.core.identity.mfa;

import dev.tandem.core.identity.AccountPrincipal;
import java.util.function.Supplier;
import org.springframework.security.authorization.AllAuthoritiesAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The rule every protected page adds (through Spring Security's multi-factor support): accounts
 * that need a second factor (set up, or staff) must also have signed in with a TOTP code, which
 * grants the {@code FACTOR_TOTP} authority. Everyone else passes.
 */
public final class SecondFactor implements AuthorizationManager<RequestAuthorizationContext> {

    public static final String FACTOR = "TOTP";
    public static final String AUTHORITY =
            FactorGrantedAuthority.fromFactor(FACTOR).getAuthority();

    private final AuthorizationManager<RequestAuthorizationContext> totp =
            AllAuthoritiesAuthorizationManager.hasAllAuthorities(AUTHORITY);

    @Override
    public AuthorizationResult authorize(
            Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        Authentication current = authentication.get();
        if (current != null
                && current.getPrincipal() instanceof AccountPrincipal account
                && account.requiresSecondFactor()) {
            return totp.authorize(authentication, context);
        }
        return new AuthorizationDecision(true);
    }

    /** Whether this authentication includes the second factor. */
    public static boolean presented(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .anyMatch(AUTHORITY::equals);
    }
}
