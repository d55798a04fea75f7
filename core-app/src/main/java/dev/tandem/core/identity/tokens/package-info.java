/**
 * Tokens for apps and API clients: the OAuth 2 token endpoint (password and refresh_token grants),
 * revocation, the JWKS, userinfo, and the rotating RSA keys that sign the access tokens.
 */
@NullMarked
package dev.tandem.core.identity.tokens;

import org.jspecify.annotations.NullMarked;
