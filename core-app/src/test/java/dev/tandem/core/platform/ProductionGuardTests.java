package dev.tandem.core.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProductionGuardTests {

    @Test
    void refusesDevelopmentSecretsNamingEachOne() {
        assertThat(ProductionGuard.problems(
                        "tandem",
                        "amqp://guest:guest@localhost:5672",
                        "http://localhost:8080",
                        "",
                        ProductionGuard.DEVELOPMENT_SECRET_KEY))
                .hasSize(5)
                .anySatisfy(problem -> assertThat(problem).contains("TANDEM_SECRET_KEY"))
                .anySatisfy(problem -> assertThat(problem).contains("TANDEM_DB_PASSWORD"))
                .anySatisfy(problem -> assertThat(problem).contains("TANDEM_AMQP_URI"))
                .anySatisfy(problem -> assertThat(problem).contains("TANDEM_PUBLIC_URL"))
                .anySatisfy(problem -> assertThat(problem).contains("TANDEM_METRICS_TOKEN"));
    }

    @Test
    void acceptsRealSettings() {
        assertThat(ProductionGuard.problems(
                        "from-the-vault",
                        "amqps://tandem:pw@rabbit:5671/prod",
                        "https://app.example.com",
                        "a-metrics-token-of-at-least-32-characters",
                        "q3Jx0qk0mYkz1c3sR0v6m8Yk1h0cV9s2bW5uZ3JhbmQ="))
                .isEmpty();
    }
}
