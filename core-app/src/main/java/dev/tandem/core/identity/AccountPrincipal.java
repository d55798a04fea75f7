package dev.tandem.core.identity;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The signed-in account, as kept in the (database-backed) session. Its name is the account id, so
 * it survives a change of email; authorities are the role and the group permissions
 * ({@code <entity>.<action>}). Other features read the current user from here.
 */
public final class AccountPrincipal implements UserDetails, CredentialsContainer, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final long id;
    private final String email;
    private final String displayName;
    private final Role role;
    private final AccountStatus status;
    private final boolean mfaEnabled;
    private final Set<String> permissions;
    private @Nullable String passwordHash;

    public AccountPrincipal(
            long id,
            String email,
            String displayName,
            Role role,
            AccountStatus status,
            boolean mfaEnabled,
            Set<String> permissions,
            @Nullable String passwordHash) {
        this.id = id;
        this.email = email;
        this.displayName = displayName;
        this.role = role;
        this.status = status;
        this.mfaEnabled = mfaEnabled;
        this.permissions = Set.copyOf(permissions);
        this.passwordHash = passwordHash;
    }

    public long id() {
        return id;
    }

    public String email() {
        return email;
    }

    public String displayName() {
        return displayName;
    }

    public Role role() {
        return role;
    }

    public AccountStatus status() {
        return status;
    }

    public boolean emailVerified() {
        return status != AccountStatus.PENDING;
    }

    public boolean mfaEnabled() {
        return mfaEnabled;
    }

    /** Whether signing in takes a second factor: for everyone who set one up, and always for staff. */
    public boolean requiresSecondFactor() {
        return mfaEnabled || role.requiresMfa();
    }

    /** Whether this account may {@code action} ({@code view|add|change|delete}) {@code entity}; admins may do all. */
    public boolean can(String entity, String action) {
        return role == Role.ADMIN || permissions.contains(entity + "." + action);
    }

    public Set<String> permissions() {
        return permissions;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority(role.authority()));
        permissions.forEach(permission -> authorities.add(new SimpleGrantedAuthority(permission)));
        return authorities;
    }

    @Override
    public @Nullable String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return Long.toString(id);
    }

    @Override
    public boolean isEnabled() {
        return status == AccountStatus.ACTIVE || status == AccountStatus.PENDING;
    }

    @Override
    public void eraseCredentials() {
        passwordHash = null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccountPrincipal that && that.id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "AccountPrincipal[" + id + "]";
    }
}
