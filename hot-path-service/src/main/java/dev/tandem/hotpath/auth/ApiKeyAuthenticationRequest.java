package dev.tandem.hotpath.auth;

import dev.tandem.schema.auth.ApiKeyFormat;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key presented as a bearer token. */
final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final ApiKeyFormat.ApiKey key;

    ApiKeyAuthenticationRequest(ApiKeyFormat.ApiKey key) {
        this.key = key;
    }

    ApiKeyFormat.ApiKey key() {
        return key;
    }
}
