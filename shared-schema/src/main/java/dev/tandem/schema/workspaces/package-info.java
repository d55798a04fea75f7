/**
 * The workspace contract both services share: the roles a member can have and the one table of
 * what each role may do.
 */
@NullMarked
package dev.tandem.schema.workspaces;

import org.jspecify.annotations.NullMarked;
