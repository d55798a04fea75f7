package dev.tandem.core.billing;

/**
 * The payment provider could not be reached or failed on its side (a network error, a 5xx, a rate
 * limit): nothing was decided, so nothing is recorded as paid or failed; the caller says so to the
 * customer, and the billing job tries again later under the same idempotency key.
 */
class ProviderUnavailableException extends BillingRuleException {

    ProviderUnavailableException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
