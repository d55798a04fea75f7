package dev.tandem.hotpath;

import dev.tandem.devstack.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points the application under test at the real PostgreSQL and AMQP broker of {@link TestServers},
 * and at {@link TestIssuer}'s JWKS.
 */
public class TestServersResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> environment = new HashMap<>(TestServers.environment());
        environment.putAll(TestIssuer.start());
        // Named outright too: a TANDEM_AMQP_URI in the environment (CI) would otherwise set
        // tandem.amqp-uri itself, without the test JVM's own virtual host.
        environment.put("tandem.amqp-uri", TestServers.amqpUri());
        return environment;
    }

    @Override
    public void stop() {
        // The servers live for the whole test JVM and stop with it.
    }
}
