package dev.tandem.core.billing;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /billing/webhooks/{provider}}: where the payment provider sends its events (Stripe:
 * the endpoint's URL in the dashboard). Answers 200 once the event is recorded (a duplicate too,
 * changing nothing), 400 for a bad or stale signature (nothing recorded), 404 for a provider this
 * instance does not run, 413 for a payload over {@link WebhookInbox#MAX_PAYLOAD_BYTES}; errors are
 * RFC 9457 problems.
 */
@RestController
class BillingWebhookController {

    private final WebhookInbox inbox;

    BillingWebhookController(WebhookInbox inbox) {
        this.inbox = inbox;
    }

    @PostMapping("/billing/webhooks/{provider}")
    ResponseEntity<?> receive(
            @PathVariable String provider,
            @RequestHeader(name = "Stripe-Signature", required = false) @Nullable String signature,
            HttpServletRequest request)
            throws IOException {
        if (!inbox.takes(provider)) {
            return problem(HttpStatus.NOT_FOUND, "This instance takes no webhooks from " + provider + ".");
        }
        if (request.getContentLengthLong() > WebhookInbox.MAX_PAYLOAD_BYTES) {
            inbox.count("too_large");
            return tooLarge();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(WebhookInbox.MAX_PAYLOAD_BYTES + 1);
        }
        if (body.length > WebhookInbox.MAX_PAYLOAD_BYTES) {
            inbox.count("too_large");
            return tooLarge();
        }
        try {
            WebhookInbox.Received received = inbox.receive(new String(body, StandardCharsets.UTF_8), signature);
            return ResponseEntity.ok(
                    Map.of("received", received.eventId(), "type", received.type(), "duplicate", received.duplicate()));
        } catch (WebhookRejectedException e) {
            return problem(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private static ResponseEntity<ProblemDetail> tooLarge() {
        return problem(
                HttpStatus.CONTENT_TOO_LARGE,
                "A webhook's payload may be at most " + WebhookInbox.MAX_PAYLOAD_BYTES + " bytes.");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
