package dev.tandem.core.messaging;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The outbox relay's settings ({@code tandem.outbox.*}).
 *
 * @param batchSize rows published per transaction
 * @param pollInterval how long the relay sleeps when idle; a commit wakes it at once
 * @param confirmTimeout how long to wait for the broker's confirms of a batch
 * @param keepSent how long sent rows are kept (for tracing what was published) before {@link BusRetention} deletes them
 */
@Validated
@ConfigurationProperties("tandem.outbox")
record OutboxProperties(
        @Min(1) @Max(5000) int batchSize,
        @NotNull Duration pollInterval,
        @NotNull Duration confirmTimeout,
        @NotNull Duration keepSent) {}
