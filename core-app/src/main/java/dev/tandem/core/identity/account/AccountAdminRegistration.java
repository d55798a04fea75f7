package dev.tandem.core.identity.account;

import dev.tandem.core.admin.AdminAction;
import dev.tandem.core.admin.ModelAdmin;
import dev.tandem.core.admin.ModelAdmin.Operation;
import dev.tandem.core.identity.AccountStatus;
import dev.tandem.core.identity.Role;
import dev.tandem.core.identity.sessions.SessionRegistry;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Accounts in the staff admin. Staff do not create accounts (people sign up and verify their
 * address), so the admin offers view, change and delete; a delete is the hard one, with the
 * database's cascade, for erasure requests. Two bulk actions: deactivate, and resend the
 * verification mail to accounts still pending.
 */
@Configuration(proxyBeanMethods = false)
class AccountAdminRegistration {

    @Bean
    ModelAdmin<User> userAdmin(Clock clock, SessionRegistry sessions, ApplicationEventPublisher events) {
        return ModelAdmin.of(User.class)
                .list("email", "displayName", "role", "status", "emailVerifiedAt", "lastLoginAt", "createdAt")
                .search("email", "displayName")
                .filters("status", "role", "emailVerifiedAt", "lastLoginAt")
                .ordering("-createdAt")
                .exclude("passwordHash", "mfaSecret", "mfaLastUsedStep")
                // The status moves through the actions (which end sessions), never by hand.
                .readOnly("status", "createdAt", "updatedAt", "lastLoginAt", "passwordChangedAt", "mfaEnabledAt")
                // What could hand out power or take over an account is for administrators only,
                .administratorFields("email", "role", "groups")
                // and staff may not touch other staff at all.
                .writableWhen((administrator, user) -> administrator || user.role() == Role.USER)
                // Permissions are read at sign-in: a change of them ends the account's sessions.
                .afterChange((user, fields) -> {
                    if (fields.contains("email") || fields.contains("role") || fields.contains("groups")) {
                        sessions.revokeAllExcept(Long.toString(user.id()), null);
                    }
                })
                .fieldset("Account", "email", "displayName", "status", "emailVerifiedAt")
                .fieldset("Permissions", "role", "groups")
                .fieldset("Activity", "createdAt", "updatedAt", "lastLoginAt", "passwordChangedAt", "mfaEnabledAt")
                .computed("Permissions from groups", user -> String.join(", ", user.groupPermissions()))
                .only(Operation.VIEW, Operation.CHANGE, Operation.DELETE)
                .action(new AdminAction<>(
                        "deactivate",
                        "Deactivate selected users",
                        "They can no longer sign in, and every session they have is ended. Closed accounts are skipped.",
                        Operation.CHANGE,
                        users -> {
                            Instant now = clock.instant();
                            int done = 0;
                            for (User user : users) {
                                if (user.status() != AccountStatus.DELETED && user.status() != AccountStatus.DISABLED) {
                                    user.disable(now);
                                    sessions.revokeAllExcept(Long.toString(user.id()), null);
                                    done++;
                                }
                            }
                            return "Deactivated " + done + " of " + users.size() + " selected users.";
                        }))
                .action(new AdminAction<>(
                        "reactivate",
                        "Reactivate selected users",
                        "Deactivated accounts may sign in again (active if their address is verified, else pending).",
                        Operation.CHANGE,
                        users -> {
                            Instant now = clock.instant();
                            int done = 0;
                            for (User user : users) {
                                if (user.status() == AccountStatus.DISABLED) {
                                    user.enable(now);
                                    done++;
                                }
                            }
                            return "Reactivated " + done + " of " + users.size() + " selected users.";
                        }))
                .action(new AdminAction<>(
                        "resend_verification",
                        "Resend the verification mail",
                        "Each selected account that has not verified its address gets a new link; the others are skipped.",
                        Operation.CHANGE,
                        users -> {
                            int sent = 0;
                            for (User user : users) {
                                if (user.status() == AccountStatus.PENDING) {
                                    events.publishEvent(new AccountEvents.VerificationRequested(user.id()));
                                    sent++;
                                }
                            }
                            return "Sent " + sent + " verification mails (" + (users.size() - sent)
                                    + " skipped: not pending).";
                        }))
                .build();
    }
}
