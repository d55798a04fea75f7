package dev.tandem.core.messaging;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How core-app's consumers use the bus ({@code tandem.bus.*}).
 *
 * @param queueType {@code classic} (the embedded broker, a single RabbitMQ node) or {@code quorum}
 *     (a RabbitMQ cluster in production): the type of the durable consumer queues
 * @param maxAttempts how often a message is tried before it is dead-lettered
 * @param firstRetryDelay the wait before the second attempt; each further one waits four times longer
 * @param maxRetryDelay the longest wait between two attempts
 * @param consumers concurrent consumers per queue
 * @param confirmTimeout how long a republish (to retry or dead letters) waits for the broker's confirm
 * @param keepApplied how long the inbox remembers an applied message before {@link BusRetention} deletes its row
 */
@Validated
@ConfigurationProperties("tandem.bus")
public record BusProperties(
        @NotNull QueueType queueType,
        @Min(1) @Max(100) int maxAttempts,
        @NotNull Duration firstRetryDelay,
        @NotNull Duration maxRetryDelay,
        @Min(1) @Max(64) int consumers,
        @NotNull Duration confirmTimeout,
        @NotNull Duration keepApplied) {

    /** The type of the durable consumer queues. */
    public enum QueueType {
        CLASSIC,
        QUORUM
    }

    /** The wait after failed attempt {@code attempt} (from 1): 1x, 4x, 16x ... the first delay, capped. */
    Duration retryDelay(int attempt) {
        long factor = 1L << (2 * Math.min(Math.max(attempt - 1, 0), 15));
        Duration delay = firstRetryDelay.multipliedBy(factor);
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }
}
