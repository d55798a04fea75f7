package dev.tandem.core.platform;

import java.time.Duration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Retries after-commit listeners that failed (a mail the SMTP server refused, say), once a minute. */
@Component
class IncompletePublicationsRetry {

    private final IncompleteEventPublications publications;

    IncompletePublicationsRetry(IncompleteEventPublications publications) {
        this.publications = publications;
    }

    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    void retry() {
        publications.resubmitIncompletePublicationsOlderThan(Duration.ofMinutes(1));
    }
}
