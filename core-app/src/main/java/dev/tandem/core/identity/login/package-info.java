/** Signing in with a password: the form, the account lookup, and the back-off of failed attempts. */
@NullMarked
package dev.tandem.core.identity.login;

import org.jspecify.annotations.NullMarked;
