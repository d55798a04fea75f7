package dev.tandem.hotpath.platform;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * In the prod profile, refuses to start with a development default where a secret belongs,
 * naming every offending variable at once. It observes start-up before anything else does; if the
 * defaults do not even connect, the database's own error says so first.
 */
@ApplicationScoped
class ProductionGuard {

    void onStart(@Observes @Priority(10) StartupEvent event, Config config) {
        List<String> profiles = config.unwrap(SmallRyeConfig.class).getProfiles();
        if (!profiles.contains("prod") || LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = problems(
                value(config, "quarkus.datasource.password"),
                value(config, "tandem.amqp-uri"),
                value(config, "tandem.metrics-token"));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start in production: " + String.join("; ", problems)
                    + ". Set them in the environment (see README, Configuration).");
        }
    }

    /** What is unfit for production in these settings; empty when they are fine. */
    static List<String> problems(String dbPassword, String amqpUri, String metricsToken) {
        List<String> problems = new ArrayList<>();
        if (dbPassword.isBlank() || dbPassword.equals("tandem")) {
            problems.add("TANDEM_DB_PASSWORD is unset or the development default");
        }
        if (amqpUri.contains("guest:guest@") || !amqpUri.contains("@")) {
            problems.add("TANDEM_AMQP_URI has no credentials or the development default (guest)");
        }
        if (metricsToken.length() < 32) {
            problems.add("TANDEM_METRICS_TOKEN must be set (32+ characters) to protect the metrics endpoint");
        }
        return problems;
    }

    private static String value(Config config, String name) {
        return config.getOptionalValue(name, String.class).orElse("");
    }
}
