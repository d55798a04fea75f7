package dev.tandem.core.identity.account;

import dev.tandem.core.identity.IdentityProperties;
import dev.tandem.core.identity.Role;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the first administrator from {@code TANDEM_ADMIN_EMAIL} and {@code TANDEM_ADMIN_PASSWORD}
 * when no account has that address yet (idempotent across restarts and replicas). In production
 * the password must pass the password policy; the administrator sets up a second factor at first
 * sign-in.
 */
@Component
class AdminAccountInitializer implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminAccountInitializer.class);

    private final IdentityProperties.Admin admin;
    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final PasswordPolicy policy;
    private final TransactionTemplate transaction;
    private final Environment environment;
    private final Clock clock;

    AdminAccountInitializer(
            IdentityProperties properties,
            UserRepository users,
            PasswordEncoder passwords,
            PasswordPolicy policy,
            TransactionTemplate transaction,
            Environment environment,
            Clock clock) {
        this.admin = properties.admin();
        this.users = users;
        this.passwords = passwords;
        this.policy = policy;
        this.transaction = transaction;
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!admin.configured() || users.existsByEmail(admin.email())) {
            return;
        }
        List<String> violations = policy.violations(admin.password(), admin.email());
        if (!violations.isEmpty() && environment.acceptsProfiles(Profiles.of("prod"))) {
            throw new IllegalStateException("TANDEM_ADMIN_PASSWORD is not acceptable: " + String.join(" ", violations));
        }
        String hash = passwords.encode(admin.password());
        transaction.executeWithoutResult(status -> {
            if (!users.existsByEmail(admin.email())) {
                users.save(User.verified(admin.email().strip(), "Administrator", hash, Role.ADMIN, clock.instant()));
                log.info("created the administrator account {}", admin.email());
            }
        });
    }
}
