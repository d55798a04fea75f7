package dev.tandem.core.identity.account;

import dev.tandem.core.identity.AccountStatus;
import dev.tandem.core.identity.apikeys.ApiKeys;
import dev.tandem.core.identity.sessions.SessionRegistry;
import dev.tandem.core.identity.tokens.RefreshTokens;
import dev.tandem.core.identity.workspaces.WorkspaceService;
import dev.tandem.core.messaging.Outbox;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UserDeleted;
import dev.tandem.schema.events.UserUpdated;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What an account's owner can do to it: verify an address, change name, email and password,
 * reset a forgotten password, close the account. Every change that other services care about
 * leaves an event in the outbox, in the same transaction.
 */
@Service
public class AccountService {

    /** The outcome of following a verification link. */
    enum Verification {
        VERIFIED,
        ADDRESS_TAKEN,
        INVALID
    }

    private final UserRepository users;
    private final EmailTokens tokens;
    private final PasswordEncoder passwords;
    private final PasswordPolicy policy;
    private final Outbox outbox;
    private final ApplicationEventPublisher events;
    private final SessionRegistry sessions;
    private final RefreshTokens refreshTokens;
    private final ApiKeys apiKeys;
    private final WorkspaceService workspaces;
    private final TransactionTemplate transaction;
    private final Clock clock;

    AccountService(
            UserRepository users,
            EmailTokens tokens,
            PasswordEncoder passwords,
            PasswordPolicy policy,
            Outbox outbox,
            ApplicationEventPublisher events,
            SessionRegistry sessions,
            RefreshTokens refreshTokens,
            ApiKeys apiKeys,
            WorkspaceService workspaces,
            TransactionTemplate transaction,
            Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.passwords = passwords;
        this.policy = policy;
        this.outbox = outbox;
        this.events = events;
        this.sessions = sessions;
        this.refreshTokens = refreshTokens;
        this.apiKeys = apiKeys;
        this.workspaces = workspaces;
        this.transaction = transaction;
        this.clock = clock;
    }

    Verification verifyEmail(String token) {
        Verification result = transaction.execute(status -> {
            var redeemed = tokens.redeem(token, EmailTokens.Purpose.VERIFY_EMAIL);
            if (redeemed.isEmpty()) {
                return Verification.INVALID;
            }
            User user = users.findById(redeemed.get().userId()).orElseThrow();
            String address = redeemed.get().email();
            if (!address.equalsIgnoreCase(user.email()) && users.existsByEmail(address)) {
                return Verification.ADDRESS_TAKEN;
            }
            AccountStatus before = user.status();
            user.verifyEmail(address, clock.instant());
            if (before != user.status()) {
                publishUpdated(user);
            }
            return Verification.VERIFIED;
        });
        return result == null ? Verification.INVALID : result;
    }

    void requestVerification(long userId) {
        transaction.executeWithoutResult(
                status -> events.publishEvent(new AccountEvents.VerificationRequested(userId)));
    }

    void changeDisplayName(long userId, String displayName) {
        transaction.executeWithoutResult(status -> {
            User user = users.findById(userId).orElseThrow();
            user.changeDisplayName(DisplayNames.normalize(displayName), clock.instant());
            publishUpdated(user);
        });
    }

    /** Sends a confirmation link to {@code newEmail}; the address changes when it is followed. */
    void requestEmailChange(long userId, String newEmail) {
        transaction.executeWithoutResult(status -> {
            if (!users.existsByEmail(newEmail)) {
                events.publishEvent(new AccountEvents.EmailChangeRequested(userId, newEmail.strip()));
            }
        });
    }

    boolean passwordMatches(long userId, String password) {
        String hash = users.findById(userId).map(User::passwordHash).orElse(null);
        return hash != null && passwords.matches(password, hash);
    }

    List<String> passwordViolations(long userId, String password) {
        return policy.violations(password, users.findById(userId).orElseThrow().email());
    }

    PasswordPolicy passwordPolicy() {
        return policy;
    }

    /**
     * Sets a new password and ends every other sign-in: the other web sessions and every app's
     * refresh tokens (their access tokens lapse within minutes).
     */
    void changePassword(long userId, String newPassword, @Nullable String keepSessionId) {
        String hash = passwords.encode(newPassword);
        transaction.executeWithoutResult(status -> {
            users.findById(userId).orElseThrow().changePassword(hash, clock.instant());
            tokens.revokeOpen(userId, EmailTokens.Purpose.RESET_PASSWORD);
            refreshTokens.revokeAllFor(userId);
            events.publishEvent(new AccountEvents.PasswordChanged(userId));
        });
        sessions.revokeAllExcept(Long.toString(userId), keepSessionId);
    }

    void requestPasswordReset(String email) {
        transaction.executeWithoutResult(
                status -> events.publishEvent(new AccountEvents.PasswordResetRequested(email.strip())));
    }

    /** Sets the password from a reset link; false if the link is spent, expired or unknown. */
    boolean resetPassword(String token, String newPassword) {
        var owner = tokens.peek(token, EmailTokens.Purpose.RESET_PASSWORD);
        if (owner.isEmpty()) {
            return false;
        }
        String hash = passwords.encode(newPassword);
        Boolean reset = transaction.execute(status -> {
            var redeemed = tokens.redeem(token, EmailTokens.Purpose.RESET_PASSWORD);
            if (redeemed.isEmpty()) {
                return false;
            }
            users.findById(redeemed.get().userId()).orElseThrow().changePassword(hash, clock.instant());
            refreshTokens.revokeAllFor(redeemed.get().userId());
            events.publishEvent(new AccountEvents.PasswordChanged(redeemed.get().userId()));
            return true;
        });
        if (Boolean.TRUE.equals(reset)) {
            sessions.revokeAllExcept(Long.toString(owner.get().userId()), null);
            return true;
        }
        return false;
    }

    /** The email of a reset link's owner, to check the new password against it. */
    @Nullable
    String resetLinkEmail(String token) {
        return tokens.peek(token, EmailTokens.Purpose.RESET_PASSWORD)
                .map(EmailTokens.Redeemed::email)
                .orElse(null);
    }

    /** Closes the account: personal data erased, keys and tokens revoked, every session ended. */
    void delete(long userId) {
        transaction.executeWithoutResult(status -> {
            User user = users.findById(userId).orElseThrow();
            user.delete(clock.instant());
            apiKeys.revokeAllFor(userId);
            refreshTokens.revokeAllFor(userId);
            workspaces.closeAccount(userId);
            outbox.append(Events.USER_DELETED, new UserDeleted(userId, clock.instant()));
        });
        sessions.revokeAllExcept(Long.toString(userId), null);
    }

    private void publishUpdated(User user) {
        outbox.append(
                Events.USER_UPDATED,
                new UserUpdated(user.id(), user.displayName(), user.status().name(), user.updatedAt()));
    }
}
