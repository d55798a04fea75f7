package dev.tandem.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;

/** The queues a consumer gets, and the back-off between its attempts. */
class ConsumerTopologyTests {

    private static final EventConsumer CONSUMER = new EventConsumer() {
        @Override
        public String queue() {
            return "test.things";
        }

        @Override
        public Set<EventType<?>> types() {
            return Set.of(Events.POST_CREATED, Events.COMMENT_CREATED);
        }

        @Override
        public void apply(EventEnvelope<?> event) {}
    };

    @Test
    void aConsumerGetsItsQueueARetryQueueAndDeadLettersBoundByType() {
        Declarables declared = topology(BusProperties.QueueType.CLASSIC);

        assertThat(declared.getDeclarablesByType(Queue.class))
                .extracting(Queue::getName)
                .containsExactly("test.things", "test.things.retry", "test.things.dlq");
        assertThat(declared.getDeclarablesByType(Queue.class)).allMatch(Queue::isDurable);
        assertThat(declared.getDeclarablesByType(Queue.class))
                .allMatch(queue -> !queue.getArguments().containsKey("x-queue-type"));
        assertThat(declared.getDeclarablesByType(Binding.class))
                .extracting(Binding::getRoutingKey)
                .containsExactlyInAnyOrder("post.created", "comment.created");
        assertThat(declared.getDeclarablesByType(Binding.class))
                .allMatch(binding -> binding.getDestination().equals("test.things"));
    }

    @Test
    void quorumQueuesWhenConfigured() {
        assertThat(topology(BusProperties.QueueType.QUORUM).getDeclarablesByType(Queue.class))
                .allMatch(queue -> "quorum".equals(queue.getArguments().get("x-queue-type")))
                .allMatch(queue -> Integer.valueOf(ConsumerTopology.QUORUM_DELIVERY_LIMIT)
                        .equals(queue.getArguments().get("x-delivery-limit")));
    }

    @Test
    void theBackOffGrowsFourfoldUpToItsCap() {
        BusProperties bus = properties(BusProperties.QueueType.CLASSIC);

        assertThat(bus.retryDelay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(bus.retryDelay(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(bus.retryDelay(4)).isEqualTo(Duration.ofSeconds(64));
        assertThat(bus.retryDelay(5)).isEqualTo(Duration.ofSeconds(256));
        assertThat(bus.retryDelay(6)).isEqualTo(Duration.ofMinutes(5));
        assertThat(bus.retryDelay(1_000)).isEqualTo(Duration.ofMinutes(5));
    }

    private static Declarables topology(BusProperties.QueueType type) {
        return new ConsumerTopology()
                .consumerQueues(java.util.List.of(CONSUMER), new TopicExchange(Events.EXCHANGE), properties(type));
    }

    private static BusProperties properties(BusProperties.QueueType type) {
        return new BusProperties(
                type, 5, Duration.ofSeconds(1), Duration.ofMinutes(5), 2, Duration.ofSeconds(10), Duration.ofDays(30));
    }
}
