package dev.tandem.core.identity.mfa;

import dev.tandem.core.identity.SecretBox;
import dev.tandem.core.identity.account.User;
import dev.tandem.core.identity.account.UserRepository;
import dev.tandem.core.platform.Sql;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's second factor: set-up (a secret the owner scans, confirmed by a first code), checks
 * at sign-in (a code is accepted once: replays of the same or an older step are refused), and ten
 * single-use recovery codes for a lost phone. Secrets are stored encrypted, recovery codes hashed.
 */
@Service
public class TotpService {

    static final int RECOVERY_CODES = 10;
    private static final char[] RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the set-up page shows: the secret to type and the same as a QR code. */
    public record Enrollment(String secret, String otpauthUri, String qrCode) {}

    private final UserRepository users;
    private final JdbcClient jdbc;
    private final SecretBox box;
    private final Clock clock;

    TotpService(UserRepository users, JdbcClient jdbc, SecretBox box, Clock clock) {
        this.users = users;
        this.jdbc = jdbc;
        this.box = box;
        this.clock = clock;
    }

    /** A fresh secret for {@code email}'s authenticator; nothing is stored until it is confirmed. */
    public Enrollment newEnrollment(String email) {
        return enrollment(email, Base32.encode(Totp.newSecret()));
    }

    /** The set-up data for a secret already shown (to ask again for a code without a new scan). */
    public Enrollment enrollment(String email, String secret) {
        String label =
                URLEncoder.encode("Tandem:" + email, StandardCharsets.UTF_8).replace("+", "%20");
        String uri = "otpauth://totp/" + label + "?secret=" + secret + "&issuer=Tandem&algorithm=SHA1&digits="
                + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new Enrollment(secret, uri, QrCodes.svgDataUri(uri));
    }

    /**
     * Turns the second factor on once {@code code} proves the authenticator holds {@code secret};
     * returns the new recovery codes, or nothing if the code is wrong.
     */
    @Transactional
    public List<String> confirm(long userId, String secret, String code) {
        OptionalLong step = Totp.matchingStep(Base32.decode(secret), code, clock.instant());
        if (step.isEmpty()) {
            return List.of();
        }
        User user = users.findById(userId).orElseThrow();
        user.enableMfa(box.sealText(secret), step.getAsLong(), clock.instant());
        return newRecoveryCodes(userId);
    }

    /** Checks a sign-in code, or a recovery code (which is then spent). */
    @Transactional
    public boolean verify(long userId, String code) {
        User user = users.findById(userId).orElseThrow();
        if (!user.mfaEnabled() || user.mfaSecret() == null) {
            return false;
        }
        if (code.strip().length() > Totp.DIGITS + 2) {
            return useRecoveryCode(userId, code);
        }
        byte[] secret = Base32.decode(box.openText(user.mfaSecret()));
        OptionalLong step = Totp.matchingStep(secret, code, clock.instant());
        return step.isPresent() && user.useTotpStep(step.getAsLong());
    }

    /** Replaces the recovery codes; the old ones stop working. */
    @Transactional
    public List<String> newRecoveryCodes(long userId) {
        jdbc.sql("delete from mfa_recovery_codes where user_id = ?")
                .param(userId)
                .update();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String code = recoveryCode();
            codes.add(code);
            jdbc.sql("insert into mfa_recovery_codes (user_id, code_hash) values (?, ?)")
                    .params(userId, hash(code))
                    .update();
        }
        return codes;
    }

    public int remainingRecoveryCodes(long userId) {
        return jdbc.sql("select count(*) from mfa_recovery_codes where user_id = ? and used_at is null")
                .param(userId)
                .query(Integer.class)
                .single();
    }

    /** Turns the second factor off (not allowed for staff, whose accounts require it). */
    @Transactional
    public void disable(long userId) {
        users.findById(userId).orElseThrow().disableMfa(clock.instant());
        jdbc.sql("delete from mfa_recovery_codes where user_id = ?")
                .param(userId)
                .update();
    }

    private boolean useRecoveryCode(long userId, String code) {
        return jdbc.sql("update mfa_recovery_codes set used_at = ? where user_id = ? and code_hash = ?"
                                + " and used_at is null")
                        .params(Sql.at(clock.instant()), userId, hash(code))
                        .update()
                == 1;
    }

    private static String recoveryCode() {
        char[] code = new char[10];
        for (int i = 0; i < code.length; i++) {
            code[i] = RECOVERY_ALPHABET[RANDOM.nextInt(RECOVERY_ALPHABET.length)];
        }
        return new String(code, 0, 5) + "-" + new String(code, 5, 5);
    }

    private static byte[] hash(String code) {
        String normalized = code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        try {
            return MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
