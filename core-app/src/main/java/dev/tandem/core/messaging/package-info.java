/**
 * core-app's end of the bus: events are appended to the transactional outbox with the change they
 * describe, and relayed to RabbitMQ with publisher confirms.
 */
@NullMarked
package dev.tandem.core.messaging;

import org.jspecify.annotations.NullMarked;
