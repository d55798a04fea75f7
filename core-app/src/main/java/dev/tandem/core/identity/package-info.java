/**
 * Identity: accounts and their whole life cycle (sign-up, verification, sign-in with throttling
 * and TOTP, sessions, password reset), roles and permissions, and the tokens and API keys apps
 * use. core-app is the identity provider of the system.
 */
@NullMarked
package dev.tandem.core.identity;

import org.jspecify.annotations.NullMarked;
