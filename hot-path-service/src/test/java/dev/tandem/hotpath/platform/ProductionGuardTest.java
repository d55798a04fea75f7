package dev.tandem.hotpath.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProductionGuardTest {

    @Test
    void refusesTheDevelopmentSecrets() {
        assertThat(ProductionGuard.problems("tandem", "amqp://guest:guest@rabbit:5672"))
                .containsExactly(
                        "TANDEM_DB_PASSWORD is unset or the development default",
                        "TANDEM_AMQP_URI has no credentials or the development default (guest)");
        assertThat(ProductionGuard.problems("", "amqp://rabbit:5672")).hasSize(2);
    }

    @Test
    void acceptsRealSecrets() {
        assertThat(ProductionGuard.problems("s3cr3t-from-vault", "amqps://tandem:pw@rabbit:5671/prod"))
                .isEmpty();
    }
}
