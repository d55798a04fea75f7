package dev.tandem.core.messaging;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The back-off of the retry path, done by the application so it works the same on RabbitMQ and on
 * the embedded broker (no per-message TTL or dead-letter exchange needed). It consumes each
 * {@code <queue>.retry} with manual acknowledgements, holds every message until its {@code
 * x-tandem-retry-at}, then puts it back into {@code <queue>} and only then acknowledges it. A
 * crash while it holds messages gives them back to the retry queue: they are moved late, never
 * lost (a message moved twice is absorbed by the inbox).
 */
@Component
class RetryMover implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RetryMover.class);

    private final Redelivery redelivery;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("retry-mover-timer").factory());

    RetryMover(Redelivery redelivery, Clock clock) {
        this.redelivery = redelivery;
        this.clock = clock;
    }

    /** The listener of {@code queue}'s retry queue. */
    ChannelAwareMessageListener listener(String queue) {
        return (message, channel) -> moveLater(
                queue,
                message,
                channel,
                Math.max(0, Redelivery.longHeader(message, Redelivery.RETRY_AT) - clock.millis()));
    }

    /**
     * Moves the message back after {@code delay} ms, on its own virtual thread (the move waits for
     * a confirm). When that fails it keeps the message and tries again in 5 s: a requeue would come
     * straight back, a tight loop. When its channel is gone the broker has the message back
     * already, and this stale move must not copy it a second time.
     */
    private void moveLater(String queue, Message message, Channel channel, long delay) {
        timer.schedule(
                () -> Thread.ofVirtual().name("retry-mover").start(() -> move(queue, message, channel)),
                delay,
                TimeUnit.MILLISECONDS);
    }

    private void move(String queue, Message message, Channel channel) {
        if (!channel.isOpen()) {
            return;
        }
        try {
            Map<String, Object> headers = new HashMap<>();
            headers.put(Redelivery.RETRY_AT, null);
            redelivery.send(queue, Redelivery.copy(message, headers));
            channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
        } catch (RuntimeException | IOException e) {
            log.warn(
                    "{}: could not move a message back from its retry queue, trying again in 5 s: {}",
                    queue,
                    e.getMessage());
            if (!timer.isShutdown()) {
                moveLater(queue, message, channel, 5_000);
            }
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
