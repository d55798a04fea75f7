package dev.tandem.core.identity;

/** Sign-up with an address that already has an account. */
class EmailAlreadyRegisteredException extends RuntimeException {

    EmailAlreadyRegisteredException() {
        super("an account with this email address already exists");
    }
}
