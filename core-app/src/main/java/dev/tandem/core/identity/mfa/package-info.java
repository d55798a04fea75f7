/**
 * The second factor: TOTP authenticator apps (RFC 6238) with one-time recovery codes, required
 * for staff and admins, and the sign-in step that adds the {@code FACTOR_TOTP} authority.
 */
@NullMarked
package dev.tandem.core.identity.mfa;

import org.jspecify.annotations.NullMarked;
