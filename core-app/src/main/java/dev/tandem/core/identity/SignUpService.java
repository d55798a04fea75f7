package dev.tandem.core.identity;

import dev.tandem.core.messaging.Outbox;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UserRegistered;
import java.time.Clock;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Creates accounts. The account row and its {@code user.registered} event commit together. */
@Service
class SignUpService {

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final Outbox outbox;
    private final TransactionTemplate transaction;
    private final Clock clock;

    SignUpService(
            UserRepository users,
            PasswordEncoder passwords,
            Outbox outbox,
            TransactionTemplate transaction,
            Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.outbox = outbox;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Registers the account; the password is hashed first, outside the transaction, so no connection waits on it. */
    long register(SignUpForm form) {
        String hash = passwords.encode(form.password());
        try {
            Long id = transaction.execute(status -> {
                String email = form.normalizedEmail();
                if (users.existsByEmail(email)) {
                    throw new EmailAlreadyRegisteredException();
                }
                User user =
                        users.saveAndFlush(User.register(email, form.normalizedDisplayName(), hash, clock.instant()));
                outbox.append(
                        Events.USER_REGISTERED, new UserRegistered(user.id(), user.displayName(), user.createdAt()));
                return user.id();
            });
            return id == null ? 0 : id;
        } catch (DataIntegrityViolationException e) {
            // Two sign-ups for the same address raced past the check; the unique index decided.
            throw new EmailAlreadyRegisteredException();
        }
    }
}
