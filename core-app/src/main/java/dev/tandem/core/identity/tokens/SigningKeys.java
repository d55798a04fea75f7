package dev.tandem.core.identity.tokens;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.tandem.core.identity.IdentityProperties;
import dev.tandem.core.identity.SecretBox;
import dev.tandem.core.platform.Sql;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The RSA keys that sign access tokens, shared by every core-app replica through
 * {@code signing_keys}. A key signs for {@code signingKeyLifetime}; its successor is created and
 * published {@code signingKeyLead} before it takes over, and a retired key stays published until
 * the last token it signed has expired. So verifiers that cache the JWKS always know the key of
 * any token they see, and during a rotation two keys are published.
 */
@Component
class SigningKeys {

    private final JdbcClient jdbc;
    private final SecretBox box;
    private final IdentityProperties.Tokens settings;
    private final Clock clock;

    SigningKeys(JdbcClient jdbc, SecretBox box, IdentityProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.box = box;
        this.settings = properties.tokens();
        this.clock = clock;
    }

    /** The key that signs now (with its private part). Creates the first key on first use. */
    RSAKey current() {
        return activeKey().orElseGet(() -> {
            rotate();
            return activeKey().orElseThrow(() -> new IllegalStateException("no signing key after rotation"));
        });
    }

    /** The public keys verifiers must know now: upcoming, current and recently retired. */
    JWKSet published() {
        Instant now = clock.instant();
        List<JWK> keys = jdbc.sql("select public_jwk::text from signing_keys"
                        + " where retires_at + make_interval(secs => ?) > ? order by activates_at desc")
                .params(settings.accessTokenLifetime().toSeconds(), Sql.at(now))
                .query((rs, row) -> parse(rs.getString(1)))
                .list();
        return new JWKSet(keys);
    }

    /**
     * Makes sure a key signs now and its successor is published in time. Safe to run on every
     * replica at once: a transaction-scoped advisory lock lets one of them do the work.
     */
    @Transactional
    void rotate() {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('tandem.signing_keys'))")
                .query()
                .singleRow();
        Instant now = clock.instant();
        if (activeKey().isEmpty()) {
            insert(now, now.plus(settings.signingKeyLifetime()));
        }
        Instant lastRetirement = jdbc.sql("select max(retires_at) from signing_keys")
                .query(java.time.OffsetDateTime.class)
                .single()
                .toInstant();
        if (lastRetirement.minus(settings.signingKeyLead()).isBefore(now)) {
            insert(lastRetirement, lastRetirement.plus(settings.signingKeyLifetime()));
        }
    }

    private java.util.Optional<RSAKey> activeKey() {
        Instant now = clock.instant();
        return jdbc.sql("select kid, public_jwk::text, private_key from signing_keys"
                        + " where activates_at <= ? and retires_at > ? order by activates_at desc limit 1")
                .params(Sql.at(now), Sql.at(now))
                .query((rs, row) -> withPrivateKey(rs.getString(2), rs.getBytes(3)))
                .optional();
    }

    private void insert(Instant activatesAt, Instant retiresAt) {
        KeyPair pair = generate();
        RSAKey jwk = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                .keyID(UUID.randomUUID().toString())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .build();
        jdbc.sql("insert into signing_keys (kid, algorithm, public_jwk, private_key, created_at, activates_at,"
                        + " retires_at) values (?, 'RS256', ?::jsonb, ?, ?, ?, ?)")
                .params(
                        jwk.getKeyID(),
                        jwk.toPublicJWK().toJSONString(),
                        box.seal(pair.getPrivate().getEncoded()),
                        Sql.at(clock.instant()),
                        Sql.at(activatesAt),
                        Sql.at(retiresAt))
                .update();
    }

    private RSAKey withPrivateKey(String publicJwk, byte[] sealedPrivateKey) {
        try {
            RSAKey publicKey = RSAKey.parse(publicJwk);
            RSAPrivateKey privateKey = (RSAPrivateKey)
                    KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(box.open(sealedPrivateKey)));
            return new RSAKey.Builder(publicKey).privateKey(privateKey).build();
        } catch (ParseException | NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("unreadable signing key", e);
        }
    }

    private static JWK parse(String json) {
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("unreadable public key", e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
