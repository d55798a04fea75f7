/** Staff groups and their permissions, which the admin checks for every entity and operation. */
@NullMarked
package dev.tandem.core.identity.groups;

import org.jspecify.annotations.NullMarked;
