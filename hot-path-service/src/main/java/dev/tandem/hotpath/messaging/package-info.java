/** hot-path-service's end of the bus: the broker connection and the idempotent inbox. */
package dev.tandem.hotpath.messaging;
