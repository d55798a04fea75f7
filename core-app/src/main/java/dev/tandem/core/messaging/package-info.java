/**
 * core-app's end of the bus: events are appended to the transactional outbox with the change they
 * describe, and relayed to RabbitMQ with publisher confirms. Consumers ({@link
 * dev.tandem.core.messaging.EventConsumer} beans) get durable queues with a retry path and dead
 * letters, and apply each message once (the inbox); {@link dev.tandem.core.messaging.DeadLetters}
 * lets operators replay or discard what failed.
 */
@NullMarked
package dev.tandem.core.messaging;

import org.jspecify.annotations.NullMarked;
