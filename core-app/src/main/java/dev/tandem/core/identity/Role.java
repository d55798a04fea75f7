package dev.tandem.core.identity;

/** What an account may do, in increasing power: staff run the admin, admins also manage staff. */
public enum Role {
    USER,
    STAFF,
    ADMIN;

    /** Staff and admins must sign in with a second factor. */
    public boolean requiresMfa() {
        return this != USER;
    }

    public String authority() {
        return "ROLE_" + name();
    }
}
