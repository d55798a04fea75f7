package dev.tandem.hotpath.messaging;

import io.smallrye.common.annotation.Identifier;
import io.vertx.rabbitmq.RabbitMQOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The broker connection every channel uses, from {@code TANDEM_AMQP_URI} (the variable core-app
 * reads too): {@code amqp[s]://user:password@host:port/vhost}.
 */
@ApplicationScoped
class AmqpConnection {

    /** The name channels refer to with {@code rabbitmq-client-options-name}. */
    static final String OPTIONS = "tandem-amqp";

    @Produces
    @Identifier(OPTIONS)
    RabbitMQOptions options(@ConfigProperty(name = "tandem.amqp-uri") URI uri) {
        return new RabbitMQOptions()
                .setUri(uri.toString())
                .setConnectionName("hot-path-service")
                .setAutomaticRecoveryEnabled(false)
                .setReconnectAttempts(Integer.MAX_VALUE)
                .setReconnectInterval(2_000)
                .setConnectionTimeout(5_000)
                .setRequestedHeartbeat(30);
    }
}
