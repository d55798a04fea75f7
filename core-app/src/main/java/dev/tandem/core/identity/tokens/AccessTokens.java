package dev.tandem.core.identity.tokens;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.IdentityProperties;
import dev.tandem.core.identity.OnBehalfTokens;
import dev.tandem.core.identity.workspaces.Workspaces;
import dev.tandem.core.platform.TandemProperties;
import dev.tandem.schema.auth.AccessTokenClaims;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

/**
 * Issues access tokens (RS256 JWTs with a {@code kid}) and verifies them for core-app's own
 * bearer-token endpoints. Claims: see {@link AccessTokenClaims}.
 */
@Component
class AccessTokens implements OnBehalfTokens {

    /** An access token and when it expires. */
    record Issued(String value, Instant expiresAt) {}

    private final SigningKeys keys;
    private final String issuer;
    private final IdentityProperties.Tokens settings;
    private final Workspaces workspaces;
    private final Clock clock;

    AccessTokens(
            SigningKeys keys,
            TandemProperties tandem,
            IdentityProperties properties,
            Workspaces workspaces,
            Clock clock) {
        this.keys = keys;
        this.workspaces = workspaces;
        this.issuer = Issuer.of(tandem);
        this.settings = properties.tokens();
        this.clock = clock;
    }

    /** For core-app's own calls to hot-path as the account, in the workspace its session acts in. */
    @Override
    public String accessToken(AccountPrincipal account, long workspaceId, List<String> scopes) {
        Workspaces.Membership workspace = workspaces
                .membership(account.id(), workspaceId)
                .orElseThrow(() -> new IllegalStateException(
                        "account " + account.id() + " is no member of workspace " + workspaceId));
        return issue(account, workspace, scopes).value();
    }

    Issued issue(AccountPrincipal account, Workspaces.Membership workspace, List<String> scopes) {
        RSAKey key = keys.current();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(settings.accessTokenLifetime());
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .audience(List.of(AccessTokenClaims.AUDIENCE))
                .subject(Long.toString(account.id()))
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(expiresAt)
                .id(UUID.randomUUID().toString())
                .claim(AccessTokenClaims.CLIENT_ID, AccessTokenClaims.PUBLIC_CLIENT)
                .claim(AccessTokenClaims.SCOPE, String.join(" ", scopes))
                .claim(AccessTokenClaims.ROLES, List.of(account.role().name()))
                .claim(AccessTokenClaims.EMAIL_VERIFIED, account.emailVerified())
                .claim(AccessTokenClaims.WORKSPACE, workspace.id())
                .claim(AccessTokenClaims.WORKSPACE_ROLE, workspace.role().value())
                .build();
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256)
                .keyId(key.getKeyID())
                .type("at+jwt")
                .build();
        JWKSource<SecurityContext> source = (selector, context) -> selector.select(new JWKSet(key));
        String value = new NimbusJwtEncoder(source)
                .encode(JwtEncoderParameters.from(header, claims))
                .getTokenValue();
        return new Issued(value, expiresAt);
    }

    /**
     * A decoder that accepts only RS256 tokens signed by a published key and valid under RFC 9068
     * (typ {@code at+jwt}; exp, iat, sub, jti and client_id present; this issuer, the API audience,
     * not expired): {@code alg: none}, HMAC with the public key ("algorithm confusion"), foreign
     * keys, issuers and audiences are all refused.
     */
    JwtDecoder decoder() {
        JWKSource<SecurityContext> published = (selector, context) -> selector.select(keys.published());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, published));
        processor.setJWSTypeVerifier((type, context) -> {});
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(JwtValidators.createAtJwtValidator()
                .issuer(issuer)
                .audience(AccessTokenClaims.AUDIENCE)
                .build());
        return decoder;
    }
}
