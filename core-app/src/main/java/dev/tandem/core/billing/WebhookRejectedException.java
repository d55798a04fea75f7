package dev.tandem.core.billing;

/** A webhook that is not the provider's: no or a bad signature, signed too long ago, or not an event. */
class WebhookRejectedException extends RuntimeException {

    WebhookRejectedException(String message) {
        super(message);
    }
}
