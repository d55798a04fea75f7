package dev.tandem.core.billing;

import dev.tandem.core.MovableClock;
import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The application's clock, moved by billing's tests from the real time they start at. */
@TestConfiguration(proxyBeanMethods = false)
public class BillingClock {

    @Bean
    @Primary
    public MovableClock movableClock() {
        return new MovableClock(Instant.now());
    }
}
