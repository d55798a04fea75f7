package dev.tandem.core.identity.account;

import dev.tandem.core.identity.AccountStatus;
import dev.tandem.core.identity.Role;
import dev.tandem.core.identity.groups.Group;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An account (table {@code users}, owned by core-app). It guards its own transitions. */
@Entity
@Table(name = "users")
public class User {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @NotBlank
    @Email
    @Size(max = 254)
    @Column(nullable = false)
    private String email;

    @NotBlank
    @Size(max = 80)
    @Column(name = "display_name", nullable = false)
    private String displayName;

    @Column(name = "password_hash")
    private @Nullable String passwordHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Role role;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AccountStatus status;

    @Column(name = "email_verified_at")
    private @Nullable Instant emailVerifiedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "last_login_at")
    private @Nullable Instant lastLoginAt;

    @Column(name = "password_changed_at")
    private @Nullable Instant passwordChangedAt;

    @Column(name = "mfa_secret")
    private @Nullable String mfaSecret;

    @Column(name = "mfa_enabled_at")
    private @Nullable Instant mfaEnabledAt;

    @Column(name = "mfa_last_used_step")
    private @Nullable Long mfaLastUsedStep;

    @Version
    private long version;

    /** The staff groups whose permissions the account has (table {@code user_groups}); edited in the admin. */
    @ManyToMany
    @JoinTable(
            name = "user_groups",
            joinColumns = @JoinColumn(name = "user_id"),
            inverseJoinColumns = @JoinColumn(name = "group_id"))
    private Set<Group> groups = new HashSet<>();

    @SuppressWarnings("NullAway.Init")
    protected User() {}

    private User(String email, String displayName, String passwordHash, Role role, Instant now) {
        this.email = email;
        this.displayName = displayName;
        this.passwordHash = passwordHash;
        this.role = role;
        this.status = AccountStatus.PENDING;
        this.createdAt = now;
        this.updatedAt = now;
        this.passwordChangedAt = now;
    }

    /** A new account, waiting for its email address to be verified. */
    public static User register(String email, String displayName, String passwordHash, Instant now) {
        return new User(email, displayName, passwordHash, Role.USER, now);
    }

    /** A new account whose address is known to be good (the seeded administrator). */
    public static User verified(String email, String displayName, String passwordHash, Role role, Instant now) {
        User user = new User(email, displayName, passwordHash, role, now);
        user.status = AccountStatus.ACTIVE;
        user.emailVerifiedAt = now;
        return user;
    }

    /** The owner proved they read mail at {@code address}: it becomes the account's email. */
    public void verifyEmail(String address, Instant now) {
        requireUsable();
        this.email = address;
        this.emailVerifiedAt = now;
        if (status == AccountStatus.PENDING) {
            status = AccountStatus.ACTIVE;
        }
        touch(now);
    }

    public void changePassword(String newHash, Instant now) {
        requireUsable();
        this.passwordHash = newHash;
        this.passwordChangedAt = now;
        touch(now);
    }

    /** Re-hashing with stronger parameters after a successful sign-in; not a change by the owner. */
    public void rehashPassword(String newHash) {
        this.passwordHash = newHash;
    }

    public void changeDisplayName(String displayName, Instant now) {
        requireUsable();
        this.displayName = displayName;
        touch(now);
    }

    public void recordLogin(Instant now) {
        this.lastLoginAt = now;
    }

    public void enableMfa(String encryptedSecret, long verifiedStep, Instant now) {
        requireUsable();
        this.mfaSecret = encryptedSecret;
        this.mfaEnabledAt = now;
        this.mfaLastUsedStep = verifiedStep;
        touch(now);
    }

    public void disableMfa(Instant now) {
        if (role.requiresMfa()) {
            throw new IllegalStateException("staff accounts cannot turn off their second factor");
        }
        this.mfaSecret = null;
        this.mfaEnabledAt = null;
        this.mfaLastUsedStep = null;
        touch(now);
    }

    /** Records that a TOTP code of {@code step} was used; false if that step (or a later one) was already used. */
    public boolean useTotpStep(long step) {
        if (mfaLastUsedStep != null && step <= mfaLastUsedStep) {
            return false;
        }
        mfaLastUsedStep = step;
        return true;
    }

    /** The permissions the account's groups grant, sorted (the admin shows them; sign-in reads them with SQL). */
    public java.util.List<String> groupPermissions() {
        return groups.stream()
                .flatMap(group -> group.permissions().stream())
                .distinct()
                .sorted()
                .toList();
    }

    /** Stopped by staff: the account can no longer sign in (a closed account stays closed). */
    public void disable(Instant now) {
        requireUsable();
        this.status = AccountStatus.DISABLED;
        touch(now);
    }

    /** Allowed back by staff after {@link #disable}: active if the address is verified, else pending. */
    public void enable(Instant now) {
        requireUsable();
        this.status = emailVerifiedAt != null ? AccountStatus.ACTIVE : AccountStatus.PENDING;
        touch(now);
    }

    /** Closed by its owner: personal data erased, the row kept as a tombstone. */
    public void delete(Instant now) {
        this.status = AccountStatus.DELETED;
        this.email = "deleted-" + id() + "@deleted.invalid";
        this.displayName = "Deleted user";
        this.passwordHash = null;
        this.mfaSecret = null;
        this.mfaEnabledAt = null;
        this.emailVerifiedAt = null;
        touch(now);
    }

    public long id() {
        if (id == null) {
            throw new IllegalStateException("not saved yet");
        }
        return id;
    }

    public String email() {
        return email;
    }

    public String displayName() {
        return displayName;
    }

    public @Nullable String passwordHash() {
        return passwordHash;
    }

    public Role role() {
        return role;
    }

    public AccountStatus status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public @Nullable Instant lastLoginAt() {
        return lastLoginAt;
    }

    public @Nullable Instant emailVerifiedAt() {
        return emailVerifiedAt;
    }

    public @Nullable String mfaSecret() {
        return mfaSecret;
    }

    public boolean mfaEnabled() {
        return mfaEnabledAt != null;
    }

    public @Nullable Instant mfaEnabledAt() {
        return mfaEnabledAt;
    }

    private void requireUsable() {
        if (status == AccountStatus.DELETED) {
            throw new IllegalStateException("account " + id + " is deleted");
        }
    }

    private void touch(Instant now) {
        this.updatedAt = now;
    }
}
