package dev.tandem.core.identity.login;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.account.User;
import dev.tandem.core.identity.account.UserRepository;
import java.util.HashSet;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finds the account signing in (by email) for Spring Security, with its group permissions, and
 * stores a re-hashed password when the hashing parameters were raised since it was set
 * (Spring Security calls {@link #updatePassword} after a successful sign-in).
 */
@Service
public class AccountUserDetailsService implements UserDetailsService, UserDetailsPasswordService {

    private final UserRepository users;
    private final JdbcClient jdbc;

    AccountUserDetailsService(UserRepository users, JdbcClient jdbc) {
        this.users = users;
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String email) {
        return users.findByEmail(email.strip())
                .filter(user -> user.passwordHash() != null)
                .map(user -> principal(user, true))
                .orElseThrow(() -> new UsernameNotFoundException("no account for that email"));
    }

    /** The principal of an account (without its password hash unless asked), e.g. after verification. */
    @Transactional(readOnly = true)
    public AccountPrincipal principal(long userId) {
        return principal(users.findById(userId).orElseThrow(), false);
    }

    @Override
    @Transactional
    public UserDetails updatePassword(UserDetails user, String newPassword) {
        User account = users.findById(Long.parseLong(user.getUsername())).orElseThrow();
        account.rehashPassword(newPassword);
        return principal(account, true);
    }

    private AccountPrincipal principal(User user, boolean withPassword) {
        return new AccountPrincipal(
                user.id(),
                user.email(),
                user.displayName(),
                user.role(),
                user.status(),
                user.mfaEnabled(),
                permissions(user.id()),
                withPassword ? user.passwordHash() : null);
    }

    private Set<String> permissions(long userId) {
        return new HashSet<>(jdbc.sql("select distinct gp.permission from user_groups ug"
                        + " join group_permissions gp on gp.group_id = ug.group_id where ug.user_id = ?")
                .param(userId)
                .query(String.class)
                .list());
    }
}
