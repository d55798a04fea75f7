package dev.tandem.core.identity;

import java.util.List;

/**
 * Access tokens core-app mints for a signed-in person so that it can call hot-path-service's API
 * on their behalf (the web UI writes content through that API, never into hot-path's tables).
 * The same tokens apps get, short-lived, with only the scopes asked for.
 */
public interface OnBehalfTokens {

    String accessToken(AccountPrincipal account, List<String> scopes);
}
