package dev.tandem.core.identity;

/** Where an account is in its life. */
public enum AccountStatus {
    /** Signed up; the email address is not verified yet. */
    PENDING,
    ACTIVE,
    /** Stopped by staff; cannot sign in. */
    DISABLED,
    /** Closed by its owner; personal data erased, the row kept as a tombstone. */
    DELETED
}
