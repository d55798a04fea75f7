package dev.tandem.core.platform;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * In production, refuses to start with a development default where a secret or a public address
 * belongs, naming every offending variable at once. Runs as soon as the configuration is read,
 * before anything connects anywhere (registered in {@code META-INF/spring.factories}).
 */
class ProductionGuard implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    /** The development default of TANDEM_SECRET_KEY (application.yml); never acceptable in production. */
    static final String DEVELOPMENT_SECRET_KEY = "dGFuZGVtLWRldmVsb3BtZW50LWtleS0zMi1ieXRlcyE=";

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        if (!environment.acceptsProfiles(Profiles.of("prod"))) {
            return;
        }
        List<String> problems = problems(
                environment.getProperty("spring.datasource.password", ""),
                environment.getProperty("spring.rabbitmq.addresses", ""),
                environment.getProperty("tandem.public-url", ""),
                environment.getProperty("tandem.metrics-token", ""),
                environment.getProperty("tandem.identity.secret-key", ""));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start in production: " + String.join("; ", problems)
                    + ". Set them in the environment (see README, Configuration).");
        }
    }

    /** What is unfit for production in these settings; empty when they are fine. */
    static List<String> problems(
            String dbPassword, String amqpUri, String publicUrl, String metricsToken, String secretKey) {
        List<String> problems = new ArrayList<>();
        if (dbPassword.isBlank() || dbPassword.equals("tandem")) {
            problems.add("TANDEM_DB_PASSWORD is unset or the development default");
        }
        if (amqpUri.contains("guest:guest@") || !amqpUri.contains("@")) {
            problems.add("TANDEM_AMQP_URI has no credentials or the development default (guest)");
        }
        if (!publicUrl.startsWith("https://")) {
            problems.add("TANDEM_PUBLIC_URL must be the https:// address users reach core-app at");
        }
        if (metricsToken.length() < 32) {
            problems.add("TANDEM_METRICS_TOKEN must be set (32+ characters) to protect the metrics endpoint");
        }
        if (secretKey.isBlank() || secretKey.equals(DEVELOPMENT_SECRET_KEY)) {
            problems.add("TANDEM_SECRET_KEY must be set (openssl rand -base64 32): it encrypts signing keys and"
                    + " second-factor secrets");
        }
        return problems;
    }
}
