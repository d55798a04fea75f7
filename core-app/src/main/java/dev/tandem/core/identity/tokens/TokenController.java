package dev.tandem.core.identity.tokens;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OAuth 2 endpoints for apps (RFC 6749 token endpoint, RFC 7009 revocation) and the JWKS
 * (RFC 7517) with which anyone, hot-path-service first, verifies access tokens offline.
 */
@RestController
class TokenController {

    private final TokenService tokens;
    private final SigningKeys keys;

    TokenController(TokenService tokens, SigningKeys keys) {
        this.tokens = tokens;
        this.keys = keys;
    }

    @PostMapping(path = "/api/v1/auth/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<TokenResponse> token(
            @RequestParam("grant_type") String grantType,
            @RequestParam(required = false) @Nullable String username,
            @RequestParam(required = false) @Nullable String password,
            @RequestParam(required = false) @Nullable String otp,
            @RequestParam(required = false) @Nullable String scope,
            @RequestParam(required = false) @Nullable String workspace,
            @RequestParam(name = "refresh_token", required = false) @Nullable String refreshToken,
            HttpServletRequest request) {
        TokenResponse response = switch (grantType) {
            case "password" ->
                tokens.password(
                        required(username, "username"),
                        required(password, "password"),
                        otp,
                        scope,
                        workspace,
                        request.getRemoteAddr());
            case "refresh_token" -> tokens.refresh(required(refreshToken, "refresh_token"), scope);
            default -> throw OAuthError.unsupportedGrantType(grantType);
        };
        return ResponseEntity.ok().headers(noStore()).body(response);
    }

    /**
     * The token and revocation endpoints take form-encoded parameters only (RFC 6749 §4.3.2, RFC 7009
     * §2.1); a body of any other type (JSON, say) is an invalid request in the OAuth error format,
     * not the framework's 415 page.
     */
    @PostMapping(path = {"/api/v1/auth/token", "/api/v1/auth/revoke"})
    ResponseEntity<OAuthError.Body> notFormEncoded() {
        return oauthError(OAuthError.invalidRequest(
                "Send the parameters form-encoded (Content-Type: application/x-www-form-urlencoded)."));
    }

    /** Revokes a refresh token and its family; always 200, whatever the token (RFC 7009 §2.2). */
    @PostMapping(path = "/api/v1/auth/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Void> revoke(@RequestParam String token) {
        tokens.revoke(token);
        return ResponseEntity.ok().headers(noStore()).build();
    }

    @GetMapping(path = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok()
                .cacheControl(
                        CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic())
                .body(keys.published().toJSONObject(true));
    }

    @ExceptionHandler(OAuthError.class)
    ResponseEntity<OAuthError.Body> oauthError(OAuthError error) {
        ResponseEntity.BodyBuilder response =
                ResponseEntity.status(error.status()).headers(noStore()).contentType(MediaType.APPLICATION_JSON);
        if (error.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
        }
        return response.body(error.body());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<OAuthError.Body> missing(MissingServletRequestParameterException e) {
        return oauthError(OAuthError.invalidRequest("The " + e.getParameterName() + " parameter is required."));
    }

    private static String required(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            throw OAuthError.invalidRequest("The " + name + " parameter is required.");
        }
        return value;
    }

    private static HttpHeaders noStore() {
        HttpHeaders headers = new HttpHeaders();
        headers.setCacheControl(CacheControl.noStore());
        headers.setPragma("no-cache");
        return headers;
    }
}
