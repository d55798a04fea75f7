package dev.tandem.core.identity.apikeys;

/** The account already has the most live keys allowed. */
public class TooManyApiKeysException extends RuntimeException {

    TooManyApiKeysException() {
        super("an account has at most " + ApiKeys.MAX_PER_ACCOUNT + " live API keys; revoke one first");
    }
}
