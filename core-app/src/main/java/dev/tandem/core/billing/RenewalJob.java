package dev.tandem.core.billing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@link Renewals} on every instance, the ended periods then the due tries of dunning; the row
 * locks make the instances share, not repeat, the work. Metrics: {@code tandem.billing.renewals}
 * (each run's time), {@code tandem.billing.renewal.invoices} (invoices made) and {@code
 * tandem.billing.dunning.retries} (tries of unpaid invoices).
 */
@Component
class RenewalJob {

    private static final Logger log = LoggerFactory.getLogger(RenewalJob.class);

    private final Renewals renewals;
    private final Timer runs;
    private final Counter invoices;
    private final Counter retries;

    RenewalJob(Renewals renewals, MeterRegistry meters) {
        this.renewals = renewals;
        this.runs = Timer.builder("tandem.billing.renewals")
                .description("Runs of the renewal job")
                .register(meters);
        this.invoices = Counter.builder("tandem.billing.renewal.invoices")
                .description("Invoices the renewal job made")
                .register(meters);
        this.retries = Counter.builder("tandem.billing.dunning.retries")
                .description("Tries of unpaid invoices the billing job made")
                .register(meters);
    }

    @Scheduled(
            initialDelayString = "${tandem.billing.renewal-interval:PT1M}",
            fixedDelayString = "${tandem.billing.renewal-interval:PT1M}")
    void run() {
        Timer.Sample sample = Timer.start();
        int made = renewals.renewDue();
        int retried = renewals.retryDue() + renewals.collectForgotten();
        sample.stop(runs);
        invoices.increment(made);
        retries.increment(retried);
        if (made > 0 || retried > 0) {
            log.info("Billing made {} invoices and retried {} unpaid ones", made, retried);
        }
    }
}
