package dev.tandem.core.mail;

/** The SMTP server did not take a message; the caller's listener is retried. */
public class MailNotSentException extends RuntimeException {

    MailNotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}
