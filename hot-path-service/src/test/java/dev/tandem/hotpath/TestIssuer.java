package dev.tandem.hotpath;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Stands in for core-app's token issuing in hot-path's tests: RSA keys published as a JWKS over
 * real HTTP (what hot-path fetches), and access tokens minted the way core-app mints them
 * (RFC 9068: {@code typ at+jwt}, RS256, {@code kid}, iss, aud, sub, scope, roles, wid,
 * workspace_role). The tests of
 * core-app's own issuer live in core-app; the contract both follow is in shared-schema.
 */
public final class TestIssuer {

    public static final String ISSUER = "http://issuer.test";
    public static final String AUDIENCE = "tandem-api";
    public static final String ALL_SCOPES = "profile:read content:read content:write files:read files:write inference";

    private static final List<RsaJsonWebKey> published = new CopyOnWriteArrayList<>();
    private static volatile RsaJsonWebKey current = newKey();
    private static HttpServer server;

    private TestIssuer() {}

    /** Starts the JWKS endpoint (once per JVM); returns hot-path's settings for it. */
    public static synchronized Map<String, String> start() {
        if (server == null) {
            published.add(current);
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/.well-known/jwks.json", exchange -> {
                byte[] body = new JsonWebKeySet(List.<JsonWebKey>copyOf(published))
                        .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }
        return Map.of(
                "TANDEM_CORE_URL", "http://127.0.0.1:" + server.getAddress().getPort(), "TANDEM_PUBLIC_URL", ISSUER);
    }

    /** Publishes a new key and signs with it from now on (a rotation, as core-app does it). */
    public static void rotate() {
        current = newKey();
        published.add(current);
    }

    /**
     * A token for this account with every scope, in the workspace it joined last (its personal one
     * unless the test shared a workspace: {@link TestData#shareWorkspace}), with its role there.
     */
    public static String token(long userId, String role) {
        return token(userId, role, ALL_SCOPES);
    }

    /** A token for this account with these scopes, in the workspace it joined last. */
    public static String token(long userId, String role, String scope) {
        return sign(claims(userId, role, scope), current);
    }

    /** A token for this account with every scope, acting in this workspace with this role there. */
    public static String tokenIn(long userId, long workspaceId, String workspaceRole) {
        return sign(claims(userId, "USER", ALL_SCOPES, workspaceId, workspaceRole), current);
    }

    /** A token whose claims the test changes (expired, other audience, ...). */
    public static String token(long userId, java.util.function.Consumer<JwtClaims> change) {
        JwtClaims claims = claims(userId, "USER", ALL_SCOPES);
        change.accept(claims);
        return sign(claims, current);
    }

    /** A well-formed token signed by a key nobody published. */
    public static String forged(long userId) {
        return sign(claims(userId, "USER", ALL_SCOPES), newKey());
    }

    /** Claims acting in the workspace the account joined last, with its role there. */
    private static JwtClaims claims(long userId, String role, String scope) {
        TestData.Membership membership = TestData.lastJoined(userId);
        return claims(userId, role, scope, membership.workspaceId(), membership.role());
    }

    private static JwtClaims claims(long userId, String role, String scope, long workspaceId, String workspaceRole) {
        JwtClaims claims = new JwtClaims();
        Instant now = Instant.now();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(Long.toString(userId));
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(
                NumericDate.fromSeconds(now.plus(Duration.ofMinutes(15)).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("client_id", "tandem-app");
        claims.setClaim("scope", scope);
        claims.setStringListClaim("roles", role);
        claims.setClaim("email_verified", true);
        claims.setClaim("wid", workspaceId);
        claims.setClaim("workspace_role", workspaceRole);
        return claims;
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "at+jwt");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey newKey() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(UUID.randomUUID().toString());
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
