package dev.tandem.core;

import dev.tandem.devstack.testing.TestServers;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of core-app's integration tests: the whole application against the real PostgreSQL
 * (migrated by shared-schema) and the real AMQP broker of {@link TestServers}, with MockMvc.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
public abstract class IntegrationTest {

    @DynamicPropertySource
    static void testServers(DynamicPropertyRegistry registry) {
        TestServers.environment().forEach((name, value) -> registry.add(name, () -> value));
    }
}
