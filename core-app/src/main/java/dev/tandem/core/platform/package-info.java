/** What every feature stands on: schema validation at start and the production safety checks. */
@NullMarked
package dev.tandem.core.platform;

import org.jspecify.annotations.NullMarked;
