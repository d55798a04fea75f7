package dev.tandem.core.identity.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTests {

    private final PasswordPolicy policy = new PasswordPolicy();

    @Test
    void shipsASubstantialListOfCommonPasswords() {
        assertThat(policy.commonPasswordCount()).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void acceptsALongUncommonPassword() {
        assertThat(policy.violations("purple elephants dance at noon", "ann@example.com"))
                .isEmpty();
    }

    @Test
    void refusesShortAndOverlongPasswords() {
        assertThat(policy.violations("tiny", "ann@example.com")).contains("Use between 12 and 128 characters.");
        assertThat(policy.violations("a".repeat(129), "ann@example.com"))
                .contains("Use between 12 and 128 characters.");
    }

    @Test
    void refusesCommonPasswordsEvenDressedUp() {
        assertThat(policy.violations("violet tortoise reads maps", "ann@example.com"))
                .isEmpty();
        assertThat(policy.violations("1qaz2wsx3edc", "ann@example.com")).anyMatch(v -> v.contains("most common"));
        assertThat(policy.violations("Password2026!!", "ann@example.com")).anyMatch(v -> v.contains("most common"));
        assertThat(policy.violations("SUNSHINE1234567", "ann@example.com")).anyMatch(v -> v.contains("most common"));
    }

    @Test
    void refusesPasswordsContainingTheEmail() {
        assertThat(policy.violations("my mail is ann@example.com", "Ann@Example.com"))
                .contains("Your password must not contain your email address.");
        assertThat(policy.violations("annabelle is my name", "annabelle@example.com"))
                .contains("Your password must not contain your email address.");
    }
}
