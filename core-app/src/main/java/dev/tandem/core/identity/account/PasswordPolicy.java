package dev.tandem.core.identity.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What a password must be: 12 to 128 characters, not one of the 100 000 most common passwords
 * (the list nbvcxz ships, checked ignoring case and trailing digits and symbols, so
 * {@code Password2026!} is refused too), and not containing the account's email address or its
 * local part.
 */
@Component
public class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;

    private static final String COMMON_PASSWORDS = "dictionaries/passwords.txt";

    private final Set<String> common;

    PasswordPolicy() {
        this.common = load();
    }

    /** What is wrong with {@code password} for the account {@code email}; empty when it is acceptable. */
    public List<String> violations(String password, String email) {
        List<String> violations = new ArrayList<>();
        if (password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            violations.add("Use between " + MIN_LENGTH + " and " + MAX_LENGTH + " characters.");
        }
        if (isCommon(password)) {
            violations.add("This password is among the most common ones and easy to guess. Choose another.");
        }
        if (containsEmail(password, email)) {
            violations.add("Your password must not contain your email address.");
        }
        return violations;
    }

    /** The size of the common-password list (it must be substantial; tests check it). */
    public int commonPasswordCount() {
        return common.size();
    }

    private boolean isCommon(String password) {
        String lower = password.toLowerCase(Locale.ROOT);
        String stripped = lower.replaceAll("[\\d\\W_]+$", "");
        return common.contains(lower) || (!stripped.isEmpty() && common.contains(stripped));
    }

    private static boolean containsEmail(String password, String email) {
        String lowerPassword = password.toLowerCase(Locale.ROOT);
        String lowerEmail = email.strip().toLowerCase(Locale.ROOT);
        if (lowerEmail.isEmpty()) {
            return false;
        }
        int at = lowerEmail.indexOf('@');
        String local = at > 0 ? lowerEmail.substring(0, at) : lowerEmail;
        return lowerPassword.contains(lowerEmail) || (local.length() >= 4 && lowerPassword.contains(local));
    }

    private static Set<String> load() {
        Set<String> passwords = new HashSet<>(131_072);
        try (InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(COMMON_PASSWORDS)) {
            if (in == null) {
                throw new IllegalStateException(COMMON_PASSWORDS + " is missing (it comes with me.gosimple:nbvcxz)");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String password = line.strip().toLowerCase(Locale.ROOT);
                if (!password.isEmpty()) {
                    passwords.add(password);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(passwords);
    }
}
