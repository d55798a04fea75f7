package dev.tandem.core.identity.account;

import dev.tandem.core.identity.AccountStatus;
import dev.tandem.core.identity.IdentityProperties;
import dev.tandem.core.mail.Mailer;
import dev.tandem.core.platform.TandemProperties;
import java.util.Map;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Sends the mail account events call for, after the change committed and outside the request.
 * A failure (SMTP down) leaves the event publication incomplete; it is retried later
 * (see platform.IncompletePublicationsRetry), so no verification or reset mail is lost.
 */
@Component
class AccountMails {

    private final UserRepository users;
    private final EmailTokens tokens;
    private final Mailer mailer;
    private final IdentityProperties properties;
    private final String publicUrl;

    AccountMails(
            UserRepository users,
            EmailTokens tokens,
            Mailer mailer,
            IdentityProperties properties,
            TandemProperties tandem) {
        this.users = users;
        this.tokens = tokens;
        this.mailer = mailer;
        this.properties = properties;
        this.publicUrl = tandem.publicUrl().toString().replaceAll("/+$", "");
    }

    @ApplicationModuleListener
    void on(AccountEvents.VerificationRequested event) {
        users.findById(event.userId())
                .filter(user -> user.status() == AccountStatus.PENDING)
                .ifPresent(user -> sendVerification(user, user.email(), "verify-email"));
    }

    @ApplicationModuleListener
    void on(AccountEvents.EmailChangeRequested event) {
        users.findById(event.userId())
                .filter(user -> user.status() == AccountStatus.ACTIVE)
                .ifPresent(user -> {
                    sendVerification(user, event.newEmail(), "confirm-new-email");
                    mailer.send(
                            user.email(),
                            "email-change-requested",
                            Map.of("name", user.displayName(), "newEmail", event.newEmail()));
                });
    }

    @ApplicationModuleListener
    void on(AccountEvents.PasswordResetRequested event) {
        users.findByEmail(event.email())
                .filter(user -> user.status() == AccountStatus.ACTIVE || user.status() == AccountStatus.PENDING)
                .ifPresent(user -> {
                    String token = tokens.issue(
                            user.id(),
                            EmailTokens.Purpose.RESET_PASSWORD,
                            user.email(),
                            properties.resetLinkLifetime());
                    mailer.send(
                            user.email(),
                            "reset-password",
                            Map.of(
                                    "name", user.displayName(),
                                    "link", publicUrl + "/password/reset?token=" + token,
                                    "hours", properties.resetLinkLifetime().toHours()));
                });
    }

    @ApplicationModuleListener
    void on(AccountEvents.SignUpRepeated event) {
        users.findByEmail(event.email())
                .filter(user -> user.status() != AccountStatus.DELETED)
                .ifPresent(user -> mailer.send(
                        user.email(),
                        "signup-existing-account",
                        Map.of(
                                "name",
                                user.displayName(),
                                "loginLink",
                                publicUrl + "/login",
                                "resetLink",
                                publicUrl + "/password/forgot")));
    }

    @ApplicationModuleListener
    void on(AccountEvents.PasswordChanged event) {
        users.findById(event.userId())
                .ifPresent(user -> mailer.send(
                        user.email(),
                        "password-changed",
                        Map.of("name", user.displayName(), "resetLink", publicUrl + "/password/forgot")));
    }

    private void sendVerification(User user, String address, String template) {
        String token = tokens.issue(
                user.id(), EmailTokens.Purpose.VERIFY_EMAIL, address, properties.verificationLinkLifetime());
        mailer.send(
                address,
                template,
                Map.of(
                        "name", user.displayName(),
                        "link", publicUrl + "/verify?token=" + token,
                        "hours", properties.verificationLinkLifetime().toHours()));
    }
}
