/** An account's own life cycle: sign-up, email verification, password reset and the account pages. */
@NullMarked
package dev.tandem.core.identity.account;

import org.jspecify.annotations.NullMarked;
