package dev.tandem.core.identity;

import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Limits how many password hashes run at once. Each Argon2id hash takes 19 MiB and tens of
 * milliseconds of CPU; on virtual threads nothing else bounds a burst of sign-ins, so without this
 * a flood of requests could exhaust memory. Waiting callers queue fairly.
 */
final class BoundedPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Semaphore permits;

    BoundedPasswordEncoder(PasswordEncoder delegate, int concurrency) {
        this.delegate = delegate;
        this.permits = new Semaphore(concurrency, true);
    }

    @Override
    public @Nullable String encode(@Nullable CharSequence rawPassword) {
        permits.acquireUninterruptibly();
        try {
            return delegate.encode(rawPassword);
        } finally {
            permits.release();
        }
    }

    @Override
    public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
        permits.acquireUninterruptibly();
        try {
            return delegate.matches(rawPassword, encodedPassword);
        } finally {
            permits.release();
        }
    }

    @Override
    public boolean upgradeEncoding(@Nullable String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }
}
