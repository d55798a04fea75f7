package dev.tandem.core.identity;

import dev.tandem.core.messaging.Outbox;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UserRegistered;
import java.time.Clock;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates accounts. The account row and its {@code user.registered} event commit together. */
@Service
class SignUpService {

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final Outbox outbox;
    private final Clock clock;

    SignUpService(UserRepository users, PasswordEncoder passwords, Outbox outbox, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    long register(SignUpForm form) {
        String email = form.normalizedEmail();
        if (users.existsByEmail(email)) {
            throw new EmailAlreadyRegisteredException();
        }
        User user;
        try {
            user = users.saveAndFlush(User.register(
                    email, form.normalizedDisplayName(), passwords.encode(form.password()), clock.instant()));
        } catch (DataIntegrityViolationException e) {
            // Two sign-ups for the same address raced past the check; the unique index decided.
            throw new EmailAlreadyRegisteredException();
        }
        outbox.append(Events.USER_REGISTERED, new UserRegistered(user.id(), user.displayName(), user.createdAt()));
        return user.id();
    }
}
