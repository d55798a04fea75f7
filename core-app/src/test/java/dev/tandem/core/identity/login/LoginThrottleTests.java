package dev.tandem.core.identity.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.IntegrationTest;
import dev.tandem.core.MovableClock;
import dev.tandem.core.identity.IdentityProperties;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The back-off, per account and per address, with a clock the test moves. */
class LoginThrottleTests extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private final MovableClock clock = new MovableClock(Instant.parse("2030-06-01T00:00:00Z"));
    private LoginThrottle throttle;

    @BeforeEach
    void setUp() {
        jdbc.sql("delete from login_throttle").update();
        IdentityProperties.Throttle settings =
                new IdentityProperties.Throttle(3, 10, Duration.ofMinutes(15), Duration.ofHours(24));
        IdentityProperties properties = new IdentityProperties(
                "dGFuZGVtLWRldmVsb3BtZW50LWtleS0zMi1ieXRlcyE=",
                Duration.ofHours(48),
                Duration.ofHours(1),
                Duration.ofDays(30),
                settings,
                new IdentityProperties.Tokens(
                        Duration.ofMinutes(15), Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(1)),
                new IdentityProperties.Admin("", ""));
        throttle = new LoginThrottle(jdbc, properties, clock);
    }

    @Test
    void theWaitDoublesWithEachFailurePastTheThresholdUpToTheCap() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("victim@example.com", "10.0.0." + i);
        }
        assertThat(throttle.waitFor("victim@example.com", "10.9.9.9")).isEmpty();

        throttle.failed("victim@example.com", "10.0.0.9");
        assertThat(throttle.waitFor("victim@example.com", "10.9.9.9")).hasValue(Duration.ofSeconds(1));
        throttle.failed("victim@example.com", "10.0.0.9");
        assertThat(throttle.waitFor("victim@example.com", "10.9.9.9")).hasValue(Duration.ofSeconds(2));
        for (int i = 0; i < 20; i++) {
            throttle.failed("victim@example.com", "10.0.1." + i);
        }
        assertThat(throttle.waitFor("Victim@Example.com", "10.9.9.9")).hasValue(Duration.ofMinutes(15));
    }

    @Test
    void theCountIsForgottenAfterADayWithoutFailures() {
        for (int i = 0; i < 6; i++) {
            throttle.failed("forgiven@example.com", "10.1.0." + i);
        }
        clock.advance(Duration.ofHours(25));

        throttle.failed("forgiven@example.com", "10.1.1.1");

        assertThat(throttle.waitFor("forgiven@example.com", "10.2.2.2")).isEmpty();
    }

    @Test
    void oneAddressGuessingManyAccountsIsSlowedToo() {
        for (int i = 0; i < 11; i++) {
            throttle.failed("account" + i + "@example.com", "203.0.113.7");
        }

        assertThat(throttle.waitFor("fresh@example.com", "203.0.113.7")).isPresent();
        assertThat(throttle.waitFor("fresh@example.com", "198.51.100.1")).isEmpty();
    }

    @Test
    void aSuccessfulSignInClearsTheAccount() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("owner@example.com", "10.3.0." + i);
        }

        throttle.succeeded("owner@example.com");

        assertThat(throttle.waitFor("owner@example.com", "10.4.4.4")).isEmpty();
    }
}
