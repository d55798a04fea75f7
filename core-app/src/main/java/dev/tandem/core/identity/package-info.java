/** Accounts and who may do what: sign-up, roles, and the security of every page. */
@NullMarked
package dev.tandem.core.identity;

import org.jspecify.annotations.NullMarked;
