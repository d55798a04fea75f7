package dev.tandem.core.identity.tokens;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The RFC 6749 token response. */
record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("refresh_token") String refreshToken,
        String scope) {}
