package dev.tandem.devstack;

/** A failure devstack explains to the user in one sentence, without a stack trace. */
public final class DevStackException extends RuntimeException {

    public DevStackException(String message) {
        super(message);
    }

    public DevStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
