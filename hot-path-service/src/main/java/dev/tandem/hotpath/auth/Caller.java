package dev.tandem.hotpath.auth;

import io.quarkus.security.identity.SecurityIdentity;

/** The account behind an authenticated request, and whether it may act on anyone's content. */
public record Caller(long userId, boolean staff) {

    /** Identity attribute: how the caller authenticated, {@code token} or {@code api-key}. */
    public static final String METHOD = "tandem.auth-method";

    /** Identity attribute: the scopes granted, as a {@code Set<String>}. */
    public static final String SCOPES = "tandem.scopes";

    /** The caller of an authenticated identity: its principal name is the account id. */
    public static Caller of(SecurityIdentity identity) {
        return new Caller(
                Long.parseLong(identity.getPrincipal().getName()),
                identity.hasRole("STAFF") || identity.hasRole("ADMIN"));
    }

    /** Whether this caller may change or delete what {@code authorId} wrote. */
    public boolean mayModify(long authorId) {
        return staff || userId == authorId;
    }
}
