package dev.tandem.core.identity.account;

import dev.tandem.core.messaging.Outbox;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UserRegistered;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates accounts. The account row, its {@code user.registered} event and the request for its
 * verification mail commit together. An address that already has an account gets a mail telling
 * its owner; the visitor sees the same page either way, so sign-up reveals nothing.
 */
@Service
class SignUpService {

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final Outbox outbox;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Clock clock;

    SignUpService(
            UserRepository users,
            PasswordEncoder passwords,
            Outbox outbox,
            ApplicationEventPublisher events,
            TransactionTemplate transaction,
            Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.outbox = outbox;
        this.events = events;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Registers the account; the password is hashed first, outside the transaction. */
    void register(SignUpForm form) {
        String hash = passwords.encode(form.password());
        String email = form.normalizedEmail();
        try {
            transaction.executeWithoutResult(status -> {
                if (users.existsByEmail(email)) {
                    events.publishEvent(new AccountEvents.SignUpRepeated(email));
                    return;
                }
                User user =
                        users.saveAndFlush(User.register(email, form.normalizedDisplayName(), hash, clock.instant()));
                outbox.append(
                        Events.USER_REGISTERED, new UserRegistered(user.id(), user.displayName(), user.createdAt()));
                events.publishEvent(new AccountEvents.VerificationRequested(user.id()));
            });
        } catch (DataIntegrityViolationException e) {
            // A concurrent sign-up for the same address won the unique index; tell its owner.
            transaction.executeWithoutResult(status -> events.publishEvent(new AccountEvents.SignUpRepeated(email)));
        }
    }
}
