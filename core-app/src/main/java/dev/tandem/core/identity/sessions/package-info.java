/** The signed-in sessions of an account (Spring Session JDBC): listing, revoking, ending them all. */
@NullMarked
package dev.tandem.core.identity.sessions;

import org.jspecify.annotations.NullMarked;
