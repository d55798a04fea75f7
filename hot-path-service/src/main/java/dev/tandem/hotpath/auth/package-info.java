/**
 * Who is calling: access tokens from core-app (JWTs verified offline against its JWKS, by Quarkus
 * OIDC) and API keys ({@code tdm_...}, looked up by hash and cached until core-app says one was
 * revoked). Both become a {@link io.quarkus.security.identity.SecurityIdentity} whose permissions
 * are the granted scopes and whose roles are the account's.
 */
@NullMarked
package dev.tandem.hotpath.auth;

import org.jspecify.annotations.NullMarked;
