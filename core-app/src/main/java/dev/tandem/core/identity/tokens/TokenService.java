package dev.tandem.core.identity.tokens;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.login.AccountUserDetailsService;
import dev.tandem.core.identity.login.LoginThrottle;
import dev.tandem.core.identity.mfa.TotpService;
import dev.tandem.core.identity.tokens.RefreshTokens.Invalid;
import dev.tandem.core.identity.tokens.RefreshTokens.Reused;
import dev.tandem.core.identity.tokens.RefreshTokens.Rotated;
import dev.tandem.core.identity.workspaces.Workspaces;
import dev.tandem.schema.auth.ApiScope;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Service;

/**
 * The two grants apps use. {@code password}: email, password and, for accounts with a second
 * factor, a current TOTP code ({@code otp}); throttled like the sign-in form; unverified accounts
 * get no tokens; {@code workspace} (a slug) picks the workspace the tokens act in, by default the
 * one the account used last. {@code refresh_token}: rotates the token, and a reused one revokes its
 * family; the workspace stays the sign-in's, with the member's role as it is now.
 */
@Service
class TokenService {

    private final AuthenticationManager passwords;
    private final LoginThrottle throttle;
    private final TotpService totp;
    private final AccountUserDetailsService accounts;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final Workspaces workspaces;
    private final Clock clock;

    TokenService(
            AuthenticationManager passwords,
            LoginThrottle throttle,
            TotpService totp,
            AccountUserDetailsService accounts,
            AccessTokens accessTokens,
            RefreshTokens refreshTokens,
            Workspaces workspaces,
            Clock clock) {
        this.passwords = passwords;
        this.throttle = throttle;
        this.totp = totp;
        this.accounts = accounts;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    TokenResponse password(
            String email,
            String password,
            @Nullable String otp,
            @Nullable String scope,
            @Nullable String workspace,
            String clientAddress) {
        Optional<Duration> wait = throttle.waitFor(email, clientAddress);
        if (wait.isPresent()) {
            throw OAuthError.throttled(Math.max(1, wait.get().toSeconds()));
        }
        List<String> scopes = scopes(scope, ApiScope.allValues());
        AccountPrincipal account = authenticate(email, password, clientAddress);
        if (!account.emailVerified()) {
            throw OAuthError.invalidGrant("Verify your email address before signing in from an app.");
        }
        if (account.requiresSecondFactor()) {
            if (!account.mfaEnabled()) {
                throw OAuthError.invalidGrant("Set up two-factor authentication in the web app first.");
            }
            if (otp == null || otp.isBlank()) {
                throw OAuthError.invalidGrant("A current code from your authenticator app is required (otp).");
            }
            if (!totp.verify(account.id(), otp)) {
                throttle.failed(email, clientAddress);
                throw OAuthError.invalidGrant("The authenticator code is wrong or was already used.");
            }
        }
        throttle.succeeded(email);
        Workspaces.Membership membership = workspace == null || workspace.isBlank()
                ? workspaces
                        .defaultFor(account.id())
                        .orElseThrow(() -> OAuthError.invalidRequest(
                                "This account is in no workspace; create one in the web app first."))
                : workspaces
                        .membership(account.id(), workspace.strip())
                        .orElseThrow(() -> OAuthError.invalidRequest(
                                "This account is not a member of a workspace \"" + workspace.strip() + "\"."));
        return respond(account, membership, scopes, refreshTokens.issue(account.id(), membership.id(), scopes));
    }

    TokenResponse refresh(String token, @Nullable String scope) {
        return switch (refreshTokens.rotate(token)) {
            case Rotated rotated -> {
                AccountPrincipal account = accounts.principal(rotated.userId());
                if (!account.isEnabled()) {
                    refreshTokens.revokeAllFor(account.id());
                    throw OAuthError.invalidGrant("This account is disabled.");
                }
                // The role is read again: a change of role shows in the next access token.
                Workspaces.Membership membership = workspaces
                        .membership(account.id(), rotated.workspaceId())
                        .orElseThrow(() -> OAuthError.invalidGrant(
                                "This account is no longer a member of the token's workspace. Sign in again."));
                yield respond(account, membership, scopes(scope, rotated.scopes()), rotated.next());
            }
            case Reused reused ->
                throw OAuthError.invalidGrant(
                        "This refresh token was already used, so every token of this sign-in is now revoked."
                                + " Sign in again.");
            case Invalid invalid -> throw OAuthError.invalidGrant("The refresh token is invalid or expired.");
        };
    }

    void revoke(String token) {
        refreshTokens.revoke(token);
    }

    private AccountPrincipal authenticate(String email, String password, String clientAddress) {
        try {
            return (AccountPrincipal) passwords
                    .authenticate(UsernamePasswordAuthenticationToken.unauthenticated(email, password))
                    .getPrincipal();
        } catch (DisabledException e) {
            throw OAuthError.invalidGrant("This account is disabled.");
        } catch (AuthenticationException e) {
            throttle.failed(email, clientAddress);
            throw OAuthError.invalidGrant("The email or password is wrong.");
        }
    }

    private TokenResponse respond(
            AccountPrincipal account,
            Workspaces.Membership workspace,
            List<String> scopes,
            RefreshTokens.Issued refresh) {
        AccessTokens.Issued access = accessTokens.issue(account, workspace, scopes);
        return new TokenResponse(
                access.value(),
                "Bearer",
                Duration.between(clock.instant(), access.expiresAt()).toSeconds(),
                refresh.value(),
                String.join(" ", scopes));
    }

    /** The requested scopes (space-separated), which must be a subset of {@code allowed}; all of them if none. */
    private static List<String> scopes(@Nullable String requested, List<String> allowed) {
        if (requested == null || requested.isBlank()) {
            return allowed;
        }
        List<String> scopes =
                Arrays.stream(requested.trim().split("\\s+")).distinct().toList();
        for (String scope : scopes) {
            if (!allowed.contains(scope)) {
                throw OAuthError.invalidScope("Unknown or not granted scope: " + scope);
            }
        }
        return scopes;
    }
}
