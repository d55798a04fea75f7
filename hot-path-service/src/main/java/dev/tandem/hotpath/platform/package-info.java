/** What every feature stands on: the schema check at start and the production safety checks. */
@NullMarked
package dev.tandem.hotpath.platform;

import org.jspecify.annotations.NullMarked;
