package dev.tandem.core.identity.tokens;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Keeps the signing keys rotating; every replica runs it, and one of them does the work. */
@Component
class KeyRotationJob {

    private final SigningKeys keys;

    KeyRotationJob(SigningKeys keys) {
        this.keys = keys;
    }

    @Scheduled(initialDelayString = "PT10S", fixedDelayString = "PT10M")
    void rotate() {
        keys.rotate();
    }
}
