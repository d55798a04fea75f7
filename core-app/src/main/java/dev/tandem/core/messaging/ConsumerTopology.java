package dev.tandem.core.messaging;

import dev.tandem.schema.events.EventType;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.annotation.RabbitListenerConfigurer;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The queues of every {@link EventConsumer} bean and the listeners on them. Per consumer: {@code
 * <queue>} bound to {@code tandem.events} by each type it accepts, {@code <queue>.retry} and {@code
 * <queue>.dlq}, all durable (quorum queues when {@code tandem.bus.queue-type=quorum}). RabbitAdmin
 * declares them idempotently whenever the connection opens.
 */
@Configuration(proxyBeanMethods = false)
class ConsumerTopology {

    /** How many messages of a retry queue the mover may hold at once, waiting for their time. */
    private static final int RETRY_PREFETCH = 500;

    static final int QUORUM_DELIVERY_LIMIT = 1_000_000;

    @Bean
    Declarables consumerQueues(List<EventConsumer> consumers, TopicExchange eventsExchange, BusProperties bus) {
        List<Declarable> declarables = new ArrayList<>();
        for (EventConsumer consumer : consumers) {
            Queue queue = queue(consumer.queue(), bus);
            declarables.add(queue);
            declarables.add(queue(consumer.queue() + ".retry", bus));
            declarables.add(queue(consumer.queue() + ".dlq", bus));
            for (EventType<?> type : consumer.types()) {
                declarables.add(BindingBuilder.bind(queue).to(eventsExchange).with(type.routingKey()));
            }
        }
        return new Declarables(declarables);
    }

    private static Queue queue(String name, BusProperties bus) {
        QueueBuilder builder = QueueBuilder.durable(name);
        if (bus.queueType() == BusProperties.QueueType.QUORUM) {
            // Quorum queues drop a message returned too often (RabbitMQ 4: 20 times); reading dead
            // letters returns them on purpose, so the limit is set out of reach.
            builder.quorum().deliveryLimit(QUORUM_DELIVERY_LIMIT);
        }
        return builder.build();
    }

    @Bean
    SimpleRabbitListenerContainerFactory retryListenerContainerFactory(
            SimpleRabbitListenerContainerFactoryConfigurer configurer, ConnectionFactory connections) {
        SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
        configurer.configure(factory, connections);
        factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        factory.setPrefetchCount(RETRY_PREFETCH);
        return factory;
    }

    @Bean
    RabbitListenerConfigurer consumerListeners(
            List<EventConsumer> consumers,
            EventDispatcher dispatcher,
            RetryMover mover,
            SimpleRabbitListenerContainerFactory retryListenerContainerFactory,
            BusProperties bus) {
        return registrar -> {
            for (EventConsumer consumer : consumers) {
                SimpleRabbitListenerEndpoint main = new SimpleRabbitListenerEndpoint();
                main.setId(consumer.queue());
                main.setQueueNames(consumer.queue());
                main.setConcurrency(Integer.toString(bus.consumers()));
                main.setMessageListener(message -> dispatcher.dispatch(consumer, message));
                registrar.registerEndpoint(main);

                SimpleRabbitListenerEndpoint retry = new SimpleRabbitListenerEndpoint();
                retry.setId(consumer.queue() + ".retry");
                retry.setQueueNames(consumer.queue() + ".retry");
                retry.setMessageListener(mover.listener(consumer.queue()));
                registrar.registerEndpoint(retry, retryListenerContainerFactory);
            }
        };
    }
}
