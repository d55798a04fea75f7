/**
 * An account's own life cycle: sign-up, email verification, password reset and the account pages.
 * Its {@link dev.tandem.core.identity.account.User} entity is the one other modules may map to
 * (the admin's mappings of content refer to their authors).
 */
@NullMarked
@NamedInterface("account")
package dev.tandem.core.identity.account;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
