package dev.tandem.hotpath.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProductionGuardTest {

    @Test
    void refusesTheDevelopmentSecrets() {
        assertThat(ProductionGuard.problems("tandem", "amqp://guest:guest@rabbit:5672", "short"))
                .containsExactly(
                        "TANDEM_DB_PASSWORD is unset or the development default",
                        "TANDEM_AMQP_URI has no credentials or the development default (guest)",
                        "TANDEM_METRICS_TOKEN must be set (32+ characters) to protect the metrics endpoint");
        assertThat(ProductionGuard.problems("", "amqp://rabbit:5672", "")).hasSize(3);
    }

    @Test
    void acceptsRealSecrets() {
        assertThat(ProductionGuard.problems(
                        "s3cr3t-from-vault",
                        "amqps://tandem:pw@rabbit:5671/prod",
                        "a-metrics-token-of-at-least-32-chars"))
                .isEmpty();
    }
}
