package dev.tandem.core.identity;

/** What an account may do, in increasing power: staff run the admin, admins also manage staff. */
public enum Role {
    USER,
    STAFF,
    ADMIN
}
