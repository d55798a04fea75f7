package dev.tandem.core.identity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Identity's settings ({@code tandem.identity.*}).
 *
 * @param secretKey base64 of 32 random bytes (TANDEM_SECRET_KEY): encrypts signing keys and TOTP
 *     secrets at rest; production refuses the development default
 * @param verificationLinkLifetime how long an email verification link works
 * @param resetLinkLifetime how long a password reset link works
 * @param rememberMeLifetime how long "remember me" keeps a session alive
 * @param throttle the back-off of failed sign-ins
 * @param tokens access tokens, refresh tokens and the keys that sign them
 * @param admin the administrator account created at start, when both values are set
 */
@Validated
@ConfigurationProperties("tandem.identity")
public record IdentityProperties(
        @NotBlank String secretKey,
        @NotNull Duration verificationLinkLifetime,
        @NotNull Duration resetLinkLifetime,
        @NotNull Duration rememberMeLifetime,
        @Valid @NotNull Throttle throttle,
        @Valid @NotNull Tokens tokens,
        @Valid @NotNull Admin admin) {

    /**
     * Failed sign-ins back off exponentially (1 s, 2 s, 4 s ...) once an account or an address has
     * more than its threshold of recent failures, never for longer than {@code maxBlock}, and the
     * count is forgotten after {@code forgetAfter} without failures: nobody can lock an account for good.
     */
    public record Throttle(
            @Min(1) int accountThreshold,
            @Min(1) int addressThreshold,
            @NotNull Duration maxBlock,
            @NotNull Duration forgetAfter) {}

    /**
     * @param accessTokenLifetime lifetime of the JWT access tokens (about 15 minutes)
     * @param refreshTokenLifetime lifetime of a refresh token (each use replaces it)
     * @param signingKeyLifetime how long one key signs before the next takes over
     * @param signingKeyLead how long before taking over a new key is already published
     */
    public record Tokens(
            @NotNull Duration accessTokenLifetime,
            @NotNull Duration refreshTokenLifetime,
            @NotNull Duration signingKeyLifetime,
            @NotNull Duration signingKeyLead) {}

    /** The administrator to create at start (TANDEM_ADMIN_EMAIL, TANDEM_ADMIN_PASSWORD); blank: none. */
    public record Admin(String email, String password) {

        public boolean configured() {
            return email != null && !email.isBlank() && password != null && !password.isBlank();
        }
    }
}
