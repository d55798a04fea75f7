package dev.tandem.hotpath.platform;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * In the prod profile, refuses to start with a development default where a secret belongs,
 * naming every offending variable at once.
 */
@ApplicationScoped
class ProductionGuard {

    void onStart(@Observes StartupEvent event, Config config) {
        List<String> profiles = config.unwrap(SmallRyeConfig.class).getProfiles();
        if (!profiles.contains("prod") || LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = problems(
                config.getOptionalValue("quarkus.datasource.password", String.class)
                        .orElse(""),
                config.getOptionalValue("tandem.amqp-uri", String.class).orElse(""));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start in production: " + String.join("; ", problems)
                    + ". Set them in the environment (see README, Configuration).");
        }
    }

    /** What is unfit for production in these settings; empty when they are fine. */
    static List<String> problems(String dbPassword, String amqpUri) {
        List<String> problems = new ArrayList<>();
        if (dbPassword.isBlank() || dbPassword.equals("tandem")) {
            problems.add("TANDEM_DB_PASSWORD is unset or the development default");
        }
        if (amqpUri.contains("guest:guest@") || !amqpUri.contains("@")) {
            problems.add("TANDEM_AMQP_URI has no credentials or the development default (guest)");
        }
        return problems;
    }
}
