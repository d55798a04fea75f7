package dev.tandem.systemtests;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** An authenticator app in a few lines (RFC 6238: HMAC-SHA1, 30 s, 6 digits), as a user's phone would be. */
final class Totp {

    private Totp() {}

    static String code(String base32Secret, int stepsFromNow) throws Exception {
        long step = Instant.now().getEpochSecond() / 30 + stepsFromNow;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(decode(base32Secret), "HmacSHA1"));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        return String.format("%06d", binary % 1_000_000);
    }

    private static byte[] decode(String text) {
        String clean = text.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
        byte[] out = new byte[clean.length() * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        for (char c : clean.toCharArray()) {
            buffer = (buffer << 5) | "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out[index++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }
}
