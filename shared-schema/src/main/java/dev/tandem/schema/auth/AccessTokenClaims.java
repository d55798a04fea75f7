package dev.tandem.schema.auth;

/**
 * What core-app puts in an access token and what hot-path-service checks: a JWT access token in
 * the RFC 9068 profile (header {@code typ: at+jwt}, RS256, {@code kid}); {@code iss} is core-app's
 * public URL, {@code aud} is {@link #AUDIENCE}, {@code sub} the user id, {@code exp} about 15
 * minutes after {@code iat}, {@code jti} unique, plus the claims below. Public keys:
 * {@code <issuer>/.well-known/jwks.json}.
 */
public final class AccessTokenClaims {

    /** The audience of every access token: Tandem's API. */
    public static final String AUDIENCE = "tandem-api";

    /** The OAuth client the token was issued to (RFC 9068 requires it). */
    public static final String CLIENT_ID = "client_id";

    /** The client id of Tandem's own apps, which sign in with the password grant. */
    public static final String PUBLIC_CLIENT = "tandem-app";

    /** Space-separated {@link ApiScope} values. */
    public static final String SCOPE = "scope";

    /** The account's roles, e.g. {@code ["USER"]}. */
    public static final String ROLES = "roles";

    /**
     * The workspace the token acts in (a number, {@code workspaces.id}): the one asked for at the
     * token endpoint, else the one the account used last. Every API call is about this workspace.
     */
    public static final String WORKSPACE = "wid";

    /**
     * The account's role in {@link #WORKSPACE} when the token was issued: {@code owner},
     * {@code admin}, {@code member} or {@code viewer} ({@code dev.tandem.schema.workspaces.WorkspaceRole}).
     */
    public static final String WORKSPACE_ROLE = "workspace_role";

    /** Whether the account's email address is verified. */
    public static final String EMAIL_VERIFIED = "email_verified";

    private AccessTokenClaims() {}
}
