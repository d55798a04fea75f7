package dev.tandem.schema.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys are {@code tdm_<id>_<secret>}: a 12-character id (lowercase letters and digits) that
 * finds the key, and a 43-character secret (256 random bits, base64url) whose SHA-256 is all the
 * database keeps. core-app issues keys; hot-path-service checks them.
 */
public final class ApiKeyFormat {

    public static final String PREFIX = "tdm_";

    private static final Pattern FORMAT = Pattern.compile("^tdm_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$");
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key as presented: its id and its secret. */
    public record ApiKey(String id, String secret) {

        public String value() {
            return PREFIX + id + "_" + secret;
        }

        /** What may be shown after creation: enough to recognise the key, nothing to use it. */
        public String displayPrefix() {
            return PREFIX + id + "_…";
        }
    }

    private ApiKeyFormat() {}

    /** A new random key. */
    public static ApiKey generate() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new ApiKey(
                new String(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The key in a bearer token, if the token has the API key format. */
    public static Optional<ApiKey> parse(String token) {
        Matcher matcher = FORMAT.matcher(token);
        return matcher.matches() ? Optional.of(new ApiKey(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    /** The SHA-256 of a secret, as stored in {@code api_keys.secret_hash}. */
    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Whether {@code secret} hashes to {@code storedHash}, in time independent of where they differ. */
    public static boolean matches(String secret, byte[] storedHash) {
        return MessageDigest.isEqual(hash(secret), storedHash);
    }
}
