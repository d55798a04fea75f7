/** hot-path-service's end of the bus: the broker connection and the idempotent inbox. */
@NullMarked
package dev.tandem.hotpath.messaging;

import org.jspecify.annotations.NullMarked;
