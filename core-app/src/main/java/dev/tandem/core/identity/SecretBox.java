package dev.tandem.core.identity;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Encrypts the secrets identity keeps in the database (token signing keys, TOTP secrets) with
 * AES-256-GCM under {@code TANDEM_SECRET_KEY}, so a copy of the database alone cannot sign tokens or
 * generate second-factor codes. Ciphertext is a 12-byte random nonce followed by the sealed bytes.
 */
@Component
public class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    SecretBox(IdentityProperties properties) {
        byte[] raw = Base64.getDecoder().decode(properties.secretKey());
        if (raw.length != 32) {
            throw new IllegalStateException(
                    "TANDEM_SECRET_KEY must be base64 of 32 random bytes" + " (for example: openssl rand -base64 32)");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public byte[] seal(byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Opens what {@link #seal} produced; fails if it was altered or sealed under another key. */
    public byte[] open(byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt: altered, or sealed under another TANDEM_SECRET_KEY", e);
        }
    }

    /** {@link #seal} for text, as base64 (for text columns). */
    public String sealText(String plain) {
        return Base64.getEncoder().encodeToString(seal(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public String openText(String sealed) {
        return new String(open(Base64.getDecoder().decode(sealed)), java.nio.charset.StandardCharsets.UTF_8);
    }
}
