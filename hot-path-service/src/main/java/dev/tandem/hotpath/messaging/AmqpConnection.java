package dev.tandem.hotpath.messaging;

import com.rabbitmq.client.ConnectionFactory;
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
    RabbitMQOptions options(@ConfigProperty(name = "tandem.amqp-uri") URI uri) throws Exception {
        // Parsed by the RabbitMQ client's own rules and set part by part (host, port, credentials,
        // virtual host, TLS), so that the virtual host the URI names is the one every channel uses.
        ConnectionFactory parsed = new ConnectionFactory();
        parsed.setUri(uri);
        return new RabbitMQOptions()
                .setHost(parsed.getHost())
                .setPort(parsed.getPort())
                .setUser(parsed.getUsername())
                .setPassword(parsed.getPassword())
                .setVirtualHost(parsed.getVirtualHost())
                .setSsl(parsed.isSSL())
                .setConnectionName("hot-path-service")
                .setAutomaticRecoveryEnabled(false)
                .setReconnectAttempts(Integer.MAX_VALUE)
                .setReconnectInterval(2_000)
                .setConnectionTimeout(5_000)
                .setRequestedHeartbeat(30);
    }
}
