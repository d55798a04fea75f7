package dev.tandem.core.platform;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * In production, refuses to start with a development default where a secret or a public address
 * belongs, naming every offending variable at once.
 */
@Component
@Profile("prod")
class ProductionGuard implements InitializingBean {

    private final Environment environment;

    ProductionGuard(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> problems = new ArrayList<>();
        String dbPassword = environment.getProperty("spring.datasource.password", "");
        if (dbPassword.isBlank() || dbPassword.equals("tandem")) {
            problems.add("TANDEM_DB_PASSWORD is unset or the development default");
        }
        String amqp = environment.getProperty("spring.rabbitmq.addresses", "");
        if (amqp.contains("guest:guest@") || !amqp.contains("@")) {
            problems.add("TANDEM_AMQP_URI has no credentials or the development default (guest)");
        }
        String publicUrl = environment.getProperty("tandem.public-url", "");
        if (!publicUrl.startsWith("https://")) {
            problems.add("TANDEM_PUBLIC_URL must be the https:// address users reach core-app at");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start in production: " + String.join("; ", problems)
                    + ". Set them in the environment (see README, Configuration).");
        }
    }
}
