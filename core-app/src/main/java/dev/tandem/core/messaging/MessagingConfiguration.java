package dev.tandem.core.messaging;

import dev.tandem.schema.events.Events;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The parts of the bus core-app declares; RabbitAdmin declares them (idempotently) on connect. */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

    @Bean
    TopicExchange eventsExchange() {
        return ExchangeBuilder.topicExchange(Events.EXCHANGE).durable(true).build();
    }
}
