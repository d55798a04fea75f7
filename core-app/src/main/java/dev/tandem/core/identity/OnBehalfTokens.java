package dev.tandem.core.identity;

import java.util.List;

/**
 * Access tokens core-app mints for a signed-in person so that it can call hot-path-service's API
 * on their behalf (the web UI writes content through that API, never into hot-path's tables).
 * The same tokens apps get, short-lived, with only the scopes asked for.
 */
public interface OnBehalfTokens {

    /**
     * A token acting in workspace {@code workspaceId} (the browser session's current one) with the
     * account's role there; refused when the account is no member of it.
     */
    String accessToken(AccountPrincipal account, long workspaceId, List<String> scopes);
}
