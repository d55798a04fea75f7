package dev.tandem.core.identity.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.tandem.core.TestAccounts;
import dev.tandem.core.WebIntegrationTest;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** core-app accepts its own access tokens and nothing that merely looks like one. */
class AccessTokenVerificationTests extends WebIntegrationTest {

    private static final String ISSUER = "http://localhost:8080";

    @Autowired
    SigningKeys keys;

    private ApiClient api;
    private long userId;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        userId = new TestAccounts(jdbc).active(TestAccounts.uniqueEmail("bearer"));
    }

    @Test
    void aTokenFromTheTokenEndpointWorks() {
        String email = TestAccounts.uniqueEmail("real");
        new TestAccounts(jdbc).active(email);
        String token = api.password(email, TestAccounts.PASSWORD)
                .json()
                .path("access_token")
                .asString();

        ApiClient.Response info = api.get("/api/v1/auth/userinfo", token);

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().path("email").asString()).isEqualTo(email);
        assertThat(info.json().path("email_verified").asBoolean()).isTrue();
    }

    @Test
    void aWellFormedSelfSignedTokenWorksToo() throws Exception {
        assertThat(userinfo(sign(keys.current(), claims().build()))).isEqualTo(200);
    }

    @Test
    void noTokenIs401WithAChallenge() {
        ApiClient.Response response = api.get("/api/v1/auth/userinfo", null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String unsigned = new PlainJWT(claims().build()).serialize();

        assertThat(userinfo(unsigned)).isEqualTo(401);
    }

    @Test
    void anHmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
        byte[] publicKey = keys.current().toPublicJWK().toRSAPublicKey().getEncoded();
        SignedJWT confused = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(keys.current().getKeyID())
                        .build(),
                claims().build());
        confused.sign(new MACSigner(java.util.Arrays.copyOf(publicKey, Math.max(publicKey.length, 32))));

        assertThat(userinfo(confused.serialize())).isEqualTo(401);
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        RSAKey stranger =
                new RSAKeyGenerator(2048).keyID(keys.current().getKeyID()).generate();

        assertThat(userinfo(sign(stranger, claims().build()))).isEqualTo(401);
    }

    @Test
    void theWrongAudienceOrIssuerIsRefused() throws Exception {
        assertThat(userinfo(
                        sign(keys.current(), claims().audience("another-api").build())))
                .isEqualTo(401);
        assertThat(userinfo(sign(
                        keys.current(), claims().issuer("https://evil.example").build())))
                .isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        Instant past = Instant.now().minusSeconds(3600);
        JWTClaimsSet expired = claims().issueTime(Date.from(past))
                .notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plusSeconds(900)))
                .build();

        assertThat(userinfo(sign(keys.current(), expired))).isEqualTo(401);
    }

    @Test
    void aTamperedTokenIsRefused() throws Exception {
        String[] parts = sign(keys.current(), claims().build()).split("\\.");
        String forged = Base64URL.encode(claims().subject("1")
                        .claim("roles", List.of("ADMIN"))
                        .build()
                        .toString())
                .toString();

        assertThat(userinfo(parts[0] + "." + forged + "." + parts[2])).isEqualTo(401);
    }

    @Test
    void aTokenWithoutTheProfileScopeIsForbidden() throws Exception {
        assertThat(userinfo(sign(
                        keys.current(), claims().claim("scope", "content:read").build())))
                .isEqualTo(403);
    }

    private int userinfo(String token) {
        return api.get("/api/v1/auth/userinfo", token).status();
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience("tandem-api")
                .subject(Long.toString(userId))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(900)))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", "tandem-app")
                .claim("scope", "profile:read content:read");
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(new JOSEObjectType("at+jwt"))
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
