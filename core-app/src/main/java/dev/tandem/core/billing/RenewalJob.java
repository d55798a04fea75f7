package dev.tandem.core.billing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs {@link Renewals} on every instance; the row locks make the instances share, not repeat, the work. */
@Component
class RenewalJob {

    private static final Logger log = LoggerFactory.getLogger(RenewalJob.class);

    private final Renewals renewals;

    RenewalJob(Renewals renewals) {
        this.renewals = renewals;
    }

    @Scheduled(
            initialDelayString = "${tandem.billing.renewal-interval:PT1M}",
            fixedDelayString = "${tandem.billing.renewal-interval:PT1M}")
    void run() {
        int renewed = renewals.renewDue();
        if (renewed > 0) {
            log.info("Renewals made {} invoices", renewed);
        }
    }
}
