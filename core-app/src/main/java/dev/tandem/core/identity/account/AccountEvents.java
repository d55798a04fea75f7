package dev.tandem.core.identity.account;

/**
 * What happens to accounts that needs mail or other after-commit work. Published inside the
 * transaction of the change; Spring Modulith stores each publication in {@code event_publication}
 * and {@link AccountMails} handles it after commit, retried until it succeeds.
 */
public final class AccountEvents {

    private AccountEvents() {}

    /** Send (again) a link to verify the account's current address. */
    public record VerificationRequested(long userId) {}

    /** Send a link to verify {@code newEmail}, which becomes the address once confirmed. */
    public record EmailChangeRequested(long userId, String newEmail) {}

    /** Someone asked for a reset link for {@code email}; an account may or may not exist. */
    public record PasswordResetRequested(String email) {}

    /** A sign-up used the address of an existing account: tell its owner, tell the visitor nothing. */
    public record SignUpRepeated(String email) {}

    /** The password changed: tell the owner, in case it was not them. */
    public record PasswordChanged(long userId) {}
}
