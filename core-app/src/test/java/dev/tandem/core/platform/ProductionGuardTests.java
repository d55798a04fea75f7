package dev.tandem.core.platform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ProductionGuardTests {

    @Test
    void refusesDevelopmentSecretsNamingEachOne() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("spring.datasource.password", "tandem")
                .withProperty("spring.rabbitmq.addresses", "amqp://guest:guest@localhost:5672")
                .withProperty("tandem.public-url", "http://localhost:8080");

        assertThatThrownBy(() -> new ProductionGuard(env).afterPropertiesSet())
                .hasMessageContaining("TANDEM_DB_PASSWORD")
                .hasMessageContaining("TANDEM_AMQP_URI")
                .hasMessageContaining("TANDEM_PUBLIC_URL");
    }

    @Test
    void acceptsRealSettings() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("spring.datasource.password", "from-the-vault")
                .withProperty("spring.rabbitmq.addresses", "amqps://tandem:pw@rabbit:5671/prod")
                .withProperty("tandem.public-url", "https://app.example.com");

        assertThatCode(() -> new ProductionGuard(env).afterPropertiesSet()).doesNotThrowAnyException();
    }
}
