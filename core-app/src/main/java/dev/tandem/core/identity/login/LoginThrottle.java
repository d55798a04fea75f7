package dev.tandem.core.identity.login;

import dev.tandem.core.identity.IdentityProperties;
import dev.tandem.core.platform.Sql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Slows down password guessing, per account and per client address, in the database so that
 * every replica counts the same failures. Past a threshold of recent failures each further failure
 * doubles the wait (1 s, 2 s, 4 s ...), capped at {@code maxBlock}; failures are forgotten after
 * {@code forgetAfter} without one, and a successful sign-in clears the account's count. An attacker
 * can therefore only ever delay the owner by minutes, never lock them out.
 */
@Component
public class LoginThrottle {

    private final JdbcClient jdbc;
    private final IdentityProperties.Throttle settings;
    private final Clock clock;

    LoginThrottle(JdbcClient jdbc, IdentityProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.settings = properties.throttle();
        this.clock = clock;
    }

    /** How long this account or address must still wait before trying again, if at all. */
    public Optional<Duration> waitFor(String email, String clientAddress) {
        Instant now = clock.instant();
        return jdbc.sql("select max(blocked_until) from login_throttle where key in (?, ?) and blocked_until > ?")
                .params(accountKey(email), addressKey(clientAddress), Sql.at(now))
                .query(java.time.OffsetDateTime.class)
                .optional()
                .map(until -> Duration.between(now, until.toInstant()));
    }

    @Transactional
    public void failed(String email, String clientAddress) {
        record(accountKey(email), settings.accountThreshold());
        record(addressKey(clientAddress), settings.addressThreshold());
    }

    @Transactional
    public void succeeded(String email) {
        jdbc.sql("delete from login_throttle where key = ?")
                .param(accountKey(email))
                .update();
    }

    private void record(String key, int threshold) {
        Instant now = clock.instant();
        int failures = jdbc.sql("select failures, last_failure_at from login_throttle where key = ? for update")
                        .param(key)
                        .query((rs, row) -> rs.getTimestamp("last_failure_at")
                                        .toInstant()
                                        .isBefore(now.minus(settings.forgetAfter()))
                                ? 0
                                : rs.getInt("failures"))
                        .optional()
                        .orElse(0)
                + 1;
        Instant blockedUntil = failures > threshold ? now.plus(backOff(failures - threshold)) : null;
        jdbc.sql("insert into login_throttle (key, failures, last_failure_at, blocked_until) values (?, ?, ?, ?)"
                        + " on conflict (key) do update set failures = excluded.failures,"
                        + " last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until")
                .params(key, failures, Sql.at(now), Sql.at(blockedUntil))
                .update();
    }

    private Duration backOff(int excess) {
        long seconds = 1L << Math.min(excess - 1, 20);
        Duration wait = Duration.ofSeconds(seconds);
        return wait.compareTo(settings.maxBlock()) > 0 ? settings.maxBlock() : wait;
    }

    private static String accountKey(String email) {
        return "account:" + email.strip().toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String clientAddress) {
        return "ip:" + clientAddress;
    }
}
