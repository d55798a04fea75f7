/** The embedded default: one command runs the whole system on real servers, with no Docker. */
@NullMarked
package dev.tandem.devstack;

import org.jspecify.annotations.NullMarked;
