package dev.tandem.core.billing;

/** A billing action the rules refuse; the message says why, for the person who asked. */
public class BillingRuleException extends RuntimeException {

    public BillingRuleException(String message) {
        super(message);
    }
}
