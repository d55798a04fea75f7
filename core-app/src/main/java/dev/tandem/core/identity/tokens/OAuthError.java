package dev.tandem.core.identity.tokens;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * An RFC 6749 error response ({@code error}, {@code error_description}), with the HTTP status it
 * goes with. Thrown by the token endpoint, rendered by {@link TokenController}.
 */
class OAuthError extends RuntimeException {

    private final String error;
    private final HttpStatus status;
    private final @Nullable Long retryAfterSeconds;

    OAuthError(HttpStatus status, String error, String description, @Nullable Long retryAfterSeconds) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError(HttpStatus.BAD_REQUEST, "invalid_request", description, null);
    }

    static OAuthError invalidGrant(String description) {
        return new OAuthError(HttpStatus.BAD_REQUEST, "invalid_grant", description, null);
    }

    static OAuthError invalidScope(String description) {
        return new OAuthError(HttpStatus.BAD_REQUEST, "invalid_scope", description, null);
    }

    static OAuthError unsupportedGrantType(String grantType) {
        return new OAuthError(
                HttpStatus.BAD_REQUEST,
                "unsupported_grant_type",
                "Supported grant types: password, refresh_token (got '" + grantType + "').",
                null);
    }

    /** Too many failed sign-ins: 429 with the wait (RFC 6749 has no code for it; this is RFC 6585's). */
    static OAuthError throttled(long retryAfterSeconds) {
        return new OAuthError(
                HttpStatus.TOO_MANY_REQUESTS,
                "slow_down",
                "Too many failed sign-ins. Try again in " + retryAfterSeconds + " seconds.",
                retryAfterSeconds);
    }

    HttpStatus status() {
        return status;
    }

    @Nullable
    Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    Body body() {
        return new Body(error, getMessage());
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Body(
            String error, @JsonProperty("error_description") String errorDescription) {}
}
